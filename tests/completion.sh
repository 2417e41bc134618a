#!/usr/bin/env bash
# Drives the bash completion (completion/jkstool.bash) as bash would: the
# line is split into COMP_WORDS the way readline splits it (':' and '=' are
# words of their own), COMP_CWORD points at the last word, _jkstool runs and
# COMPREPLY is compared with what it must hold. Then the zsh function, with
# zsh's completion builtins stubbed (when zsh is installed).
#   usage: tests/completion.sh JKSTOOL   (from the repository root)
set -u
J=$(cd "$(dirname "${1:?usage: completion.sh JKSTOOL}")" && pwd)/$(basename "$1")
ROOT=$PWD
V=vectors/files
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "completion: FAIL: $*"; }
# shellcheck source=/dev/null
. completion/jkstool.bash || { echo "completion: FAIL: cannot source completion/jkstool.bash"; exit 1; }
complete -p jkstool >/dev/null 2>&1 && ok || bad "no 'complete -F _jkstool jkstool'"

# complete LINE: COMPREPLY, one per line, in $T_out
complete_line() {
    local line=$1 tok
    COMP_WORDS=()
    for tok in $line; do
        # readline's word breaks: ':' and '=' become words of their own
        while [[ $tok =~ ^([^:=]*)([:=])(.*)$ ]]; do
            [[ -n ${BASH_REMATCH[1]} ]] && COMP_WORDS+=("${BASH_REMATCH[1]}")
            COMP_WORDS+=("${BASH_REMATCH[2]}")
            tok=${BASH_REMATCH[3]}
        done
        [[ -n $tok ]] && COMP_WORDS+=("$tok")
    done
    [[ $line == *" " ]] && COMP_WORDS+=("")
    COMP_WORDS[0]=$J
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMPREPLY=()
    _jkstool
    T_out=$(printf '%s\n' "${COMPREPLY[@]}" | sort)
}
# expect LINE WANTED... : COMPREPLY must be exactly these words
expect() {
    local line=$1
    shift
    complete_line "$line"
    local want
    want=$(printf '%s\n' "$@" | sort)
    [ "$T_out" = "$want" ] && ok || bad "'$line': got [$(echo $T_out)], want [$*]"
}
# expect_has LINE WORD... : COMPREPLY must hold these words (among others)
expect_has() {
    local line=$1 w
    shift
    complete_line "$line"
    for w in "$@"; do
        grep -qxF -- "$w" <<<"$T_out" && ok || bad "'$line': no '$w' in [$(echo $T_out)]"
    done
}

# command names
expect_has "jkstool " list convert check export import passwd rename genkey genseckey csr gencert probe keytool --help
expect "jkstool co" convert
expect "jkstool p" passwd probe
# options of convert (from `jkstool convert --help`)
expect_has "jkstool convert in.jks --" --to --keep-encryption --reencrypt --out-storepass --split --json
expect_has "jkstool genseckey a.p12 --" --password-entry --keyalg --keysize --json
expect_has "jkstool genseckey a.p12 --keyalg " AES DESede HmacSHA256 ARCFOUR
expect "jkstool convert in.jks --pkcs" --pkcs12-algorithms
expect "jkstool convert in.jks out.p12 --ke" --keep-encryption --keep-hidden --keypass
complete_line "jkstool list ks.jks --"
grep -qxF -- --aliases <<<"$T_out" && ok || bad "list options lack --aliases: [$(echo $T_out)]"
grep -qxF -- --split <<<"$T_out" && bad "list offers convert's --split" || ok
# --to and other values
expect "jkstool convert a.jks b --to " jks jceks pkcs12 pem bks uber bcfks
expect "jkstool convert a.jks b --to p" pkcs12 pem
expect "jkstool convert a.jks b --to=j" jks jceks
expect "jkstool export a.jks --to " cert chain key
expect_has "jkstool export a.jks --out " -
expect_has "jkstool import ts.jks --file " -
expect "jkstool list a.p12 --type " jks jceks pkcs12 pem bks uber bcfks
expect "jkstool check a.p12 --for " client server truststore
expect "jkstool convert a b --pkcs12-algorithms " modern legacy
expect "jkstool list a.jks --storepass " pass: env: file:
JKS_COMPLETION_TEST_PW=x
expect "jkstool list a.jks --storepass env:JKS_COMPLETION_TEST_" JKS_COMPLETION_TEST_PW
# file names
expect "jkstool list $V/jks-mixe" "$V/jks-mixed.jks" "$V/jks-mixed.pass"

# aliases of the keystore on the line, password from a (not exported) variable
KSP=changeit
aliases=(inter root ec rsa dsa)
[ "$("$J" list "$V/jks-mixed.jks" --aliases | sort | tr '\n' ' ')" = "$(printf '%s\n' "${aliases[@]}" | sort | tr '\n' ' ')" ] &&
  ok || bad "vector jks-mixed.jks does not hold the aliases this test expects"
expect "jkstool export $V/jks-mixed.jks --storepass env:KSP --alias " "${aliases[@]}"
expect "jkstool export --storepass env:KSP $V/jks-mixed.jks --alias r" root rsa
expect "jkstool export $V/jks-mixed.jks --storepass env:KSP --to key --alias=e" ec
expect "jkstool convert $V/jks-mixed.jks out.p12 -a d" dsa
# rename KEYSTORE OLD NEW: OLD from the keystore's aliases, nothing offered for NEW
expect "jkstool rename $V/jks-mixed.jks --storepass env:KSP r" root rsa
expect "jkstool rename --storepass env:KSP $V/jks-mixed.jks root "
# the password is passed: a wrong one lists nothing (exit 3), never prompts
KSBAD=wrong
expect "jkstool export $V/jks-mixed.jks --storepass env:KSBAD --alias "
# file: passwords too
printf 'changeit\n' >"$ROOT/build/.completion-pw" 2>/dev/null || printf 'changeit\n' >"${TMPDIR:-/tmp}/.completion-pw"
pwf=$ROOT/build/.completion-pw; [ -f "$pwf" ] || pwf=${TMPDIR:-/tmp}/.completion-pw
expect "jkstool csr $V/jks-mixed.jks --storepass file:$pwf --alias rs" rsa
rm -f "$pwf"
# pass: is never handed on (it would only appear in the process list)
expect "jkstool export $V/jks-mixed.jks --storepass pass:wrong --alias r" root rsa
# on a terminal `list` prompts for the store password; `list --aliases` must not
if command -v script >/dev/null 2>&1; then
    out=$(script -qec "timeout 5 $J list $V/jks-mixed.jks" /dev/null </dev/null 2>&1)
    [[ $out == *"Enter keystore password"* ]] && ok || bad "control: list on a terminal did not prompt: $out"
    out=$(script -qec "timeout 5 $J list $V/jks-mixed.jks --aliases" /dev/null </dev/null 2>&1)
    [[ $out != *"Enter keystore password"* && $(tr -d '\r' <<<"$out" | sort | tr '\n' ' ') == "dsa ec inter root rsa " ]] &&
        ok || bad "list --aliases on a terminal: [$out]"
else
    echo "completion: no script(1): the terminal check is skipped"
fi
# keytool mode
expect "jkstool keytool -li" -list
expect "jkstool keytool -list -keystore $V/jks-mixed.jks -storepass:env KSP -alias " "${aliases[@]}"
expect "jkstool keytool -list -storetype " JKS JCEKS PKCS12

# never hangs: a password file that is a FIFO nobody writes, a keystore that is a FIFO
fifo=$(mktemp -u)
mkfifo "$fifo"
start=$SECONDS
expect "jkstool export $V/jks-mixed.jks --storepass file:$fifo --alias "
expect "jkstool export $fifo --storepass env:KSP --alias "
[ $((SECONDS - start)) -le 8 ] && ok || bad "completion with FIFOs took $((SECONDS - start)) s"
rm -f "$fifo"

# zsh: _jkstool runs with the completion builtins stubbed (compadd prints
# its words, _files and _describe name themselves), on words/CURRENT as zsh
# sets them (no splitting at ':' or '=').
zsh_complete() { # WANT LINE...: the words of LINE, the last one being completed
    local want=$1 out
    shift
    out=$(cd "$ROOT" && KSP=changeit KSBAD=wrong zsh -f -c '
        compadd() { while [[ $1 == -* && $1 != -- ]]; do [[ $1 == -[SPa] ]] && shift; shift; done
                    [[ $1 == -- ]] && shift; print -l -- "$@"; }
        compset() { return 1; }
        _files() { print -- "<files $*>"; }
        _describe() { local -a c=(${(P)${@[-1]}}); print -l -- ${c%%:*}; }
        _parameters() { print -- "<parameters>"; }
        words=("$@"); CURRENT=$#
        source completion/_jkstool' zsh "$J" "$@" 2>&1 | sort | tr '\n' ' ')
    [ "$out" = "$want" ] && ok || bad "zsh '$*': got [$out], want [$want]"
}
if command -v zsh >/dev/null 2>&1; then
    zsh -n completion/_jkstool && ok || bad "zsh -n completion/_jkstool"
    zsh_complete "check convert csr export gencert genkey genseckey import keytool list passwd probe rename " ""
    zsh_complete "AES ARCFOUR Blowfish ChaCha20 DES DESede HmacSHA1 HmacSHA224 HmacSHA256 HmacSHA384 HmacSHA512 RC2 " genseckey a.p12 --keyalg ""
    zsh_complete "bcfks bks jceks jks pem pkcs12 uber " convert a.jks b --to ""
    zsh_complete "cert chain key " export a.jks --to ""
    zsh_complete "dsa ec inter root rsa " export "$V/jks-mixed.jks" --storepass env:KSP --alias ""
    zsh_complete "" export "$V/jks-mixed.jks" --storepass env:KSBAD --alias ""
    zsh_complete "dsa ec inter root rsa " rename "$V/jks-mixed.jks" --storepass env:KSP ""
    zsh_complete "" rename "$V/jks-mixed.jks" --storepass env:KSP root ""
    zsh_complete "dsa ec inter root rsa " keytool -list -keystore "$V/jks-mixed.jks" -storepass:env KSP -alias ""
    complete_zsh_opts=$(cd "$ROOT" && zsh -f -c 'compadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }
        compset() { return 1; }; words=("$@"); CURRENT=$#; source completion/_jkstool' zsh "$J" convert x --k 2>&1 | tr '\n' ' ')
    [[ $complete_zsh_opts == *"--keep-encryption "* && $complete_zsh_opts == *"--skip-unsupported "* ]] && ok ||
        bad "zsh convert options: [$complete_zsh_opts]"
    zsh_complete "<files > " list "$V/jks-mi"
else
    echo "completion: zsh not installed: zsh completion not tested"
fi
echo "completion: $pass passed, $fail failed"
[ "$fail" = 0 ]
