# bash completion for jkstool (libjks).            -*- shell-script -*-
# Commands and options come from `jkstool --help` and `jkstool CMD --help`
# (so they follow the installed binary); aliases of the keystore already on
# the line from `jkstool list KEYSTORE --aliases`, with the store password
# only when the line gives it as --storepass env:VAR or file:PATH. It never
# prompts and never waits: stdin is /dev/null and the call has a time limit.
# Installed as share/bash-completion/completions/jkstool.

# Options that take a value (their value is not a positional argument).
_jkstool_valued=" --storepass --keypass --type -t --to --out-storepass --out-keypass --alias -a
  --pkcs12-algorithms --split --for --at --max-iterations --new-storepass --new-keypass --file
  --out -o --dname --keyalg --sigalg --ext --keysize --validity --connect --servername --cafile
  --truststore --truststore-pass --timeout --key-manager --ca-names --jdk --java-cacerts --infile
  --outfile --startdate --password-entry "

# The words of the line with bash's splits at ':' and '=' undone:
# "--storepass" "env" ":" "X" becomes "--storepass" "env:X", and
# "--to" "=" "pem" becomes "--to" "pem". Sets _jkstool_w (words up to the
# cursor) and _jkstool_cur (the word being completed, its ':' prefix kept).
_jkstool_words() {
    local i w n=${#COMP_WORDS[@]} join=0
    _jkstool_w=()
    for ((i = 0; i < n && i <= COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [[ $w == ":" && ${#_jkstool_w[@]} -gt 0 ]]; then
            _jkstool_w[${#_jkstool_w[@]} - 1]+=":"
            join=1
        elif [[ $w == "=" && ${_jkstool_w[${#_jkstool_w[@]} - 1]} == -* ]]; then
            join=0
            [[ $i == "$COMP_CWORD" ]] && _jkstool_w+=("")
        elif ((join)); then
            _jkstool_w[${#_jkstool_w[@]} - 1]+=$w
            join=0
        else
            _jkstool_w+=("$w")
        fi
    done
    _jkstool_cur=${_jkstool_w[${#_jkstool_w[@]} - 1]}
}

# Long options (or keytool's -options) printed by `jkstool CMD --help`.
_jkstool_options() {
    local prog=$1 cmd=$2
    if [[ $cmd == keytool ]]; then
        "$prog" keytool --help </dev/null 2>/dev/null |
            grep -oE '(^|[ ([])-[a-z][a-z0-9]*' | grep -oE -- '-[a-z0-9]+' | sort -u
    else
        "$prog" "$cmd" --help </dev/null 2>/dev/null |
            grep -oE -- '(^|[^A-Za-z0-9-])--[a-z0-9][a-z0-9-]*' | grep -oE -- '--[a-z0-9-]+' | sort -u
    fi
}

# Aliases of KEYSTORE; $3: the --storepass value from the line (only env:
# and file: are passed on), $4: --type.
_jkstool_aliases() {
    local prog=$1 ks=$2 sp=$3 type=$4 var
    local -a args=(list "$ks" --aliases) envs=()
    [[ $ks == "~/"* ]] && args[1]=$HOME/${ks#"~/"}
    [[ -f ${args[1]} ]] || return
    case $sp in
    env:*)
        var=${sp#env:}
        [[ $var =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || return
        # also a shell variable that is not exported
        [[ -n ${!var+set} ]] && envs=("$var=${!var}")
        args+=(--storepass "$sp")
        ;;
    file:*) args+=(--storepass "$sp") ;;
    esac
    [[ -n $type ]] && args+=(--type "$type")
    if command -v timeout >/dev/null 2>&1; then
        env "${envs[@]}" timeout 3 "$prog" "${args[@]}" </dev/null 2>/dev/null
    else
        env "${envs[@]}" "$prog" "${args[@]}" </dev/null 2>/dev/null
    fi
}

_jkstool() {
    local prog=${COMP_WORDS[0]} cmd cur prev i w ks="" sp="" type="" npos=0 IFS=$'\n'
    [[ $prog == "~/"* ]] && prog=$HOME/${prog#"~/"}
    COMPREPLY=()
    _jkstool_words
    cur=$_jkstool_cur
    local nw=${#_jkstool_w[@]}
    prev=""
    ((nw >= 2)) && prev=${_jkstool_w[nw - 2]}
    if ((nw <= 2)); then
        COMPREPLY=($(compgen -W "$("$prog" --help </dev/null 2>/dev/null |
            sed -n '/^commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p')
--help
--version" -- "$cur"))
        return
    fi
    cmd=${_jkstool_w[1]}

    # what the line already says: the keystore, its password, its type
    for ((i = 2; i < nw - 1; i++)); do
        w=${_jkstool_w[i]}
        if [[ $cmd == keytool ]]; then
            case $w in
            -keystore | -srckeystore) ks=${_jkstool_w[i + 1]} ;;
            -storepass:env | -srcstorepass:env) sp=env:${_jkstool_w[i + 1]} ;;
            -storepass:file | -srcstorepass:file) sp=file:${_jkstool_w[i + 1]} ;;
            -storetype | -srcstoretype) type=${_jkstool_w[i + 1]} ;;
            esac
            continue
        fi
        case $w in
        --storepass) sp=${_jkstool_w[i + 1]} ;;
        --type | -t) type=${_jkstool_w[i + 1]} ;;
        esac
        if [[ $_jkstool_valued == *" $w "* ]]; then
            ((i++))
        elif [[ $w != -* && -z $ks ]]; then
            ks=$w
        elif [[ $w != -* ]]; then
            ((npos++))
        fi
    done
    type=$(tr 'A-Z' 'a-z' <<<"$type")

    if [[ $cmd == keytool ]]; then
        case $prev in
        -alias | -srcalias | -destalias)
            COMPREPLY=($(compgen -W "$(_jkstool_aliases "$prog" "$ks" "$sp" "$type")" -- "$cur"))
            return ;;
        -keystore | -srckeystore | -destkeystore | -file)
            COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null
            return ;;
        -storetype | -srcstoretype | -deststoretype)
            COMPREPLY=($(compgen -W $'JKS\nJCEKS\nPKCS12' -- "$cur")); return ;;
        -keyalg) COMPREPLY=($(compgen -W $'RSA\nEC\nEd25519\nEd448' -- "$cur")); return ;;
        esac
        COMPREPLY=($(compgen -W "$(_jkstool_options "$prog" keytool)" -- "$cur"))
        return
    fi

    case $prev in
    --to)
        case $cmd in
        export) COMPREPLY=($(compgen -W $'cert\nchain\nkey' -- "$cur")) ;;
        *) COMPREPLY=($(compgen -W $'jks\njceks\npkcs12\npem\nbks\nuber\nbcfks' -- "$cur")) ;;
        esac
        return ;;
    --type | -t) COMPREPLY=($(compgen -W $'jks\njceks\npkcs12\npem\nbks\nuber\nbcfks' -- "$cur")); return ;;
    --for) COMPREPLY=($(compgen -W $'client\nserver\ntruststore' -- "$cur")); return ;;
    --pkcs12-algorithms) COMPREPLY=($(compgen -W $'modern\nlegacy' -- "$cur")); return ;;
    --keyalg)
        if [[ $cmd == genseckey ]]; then
            COMPREPLY=($(compgen -W $'AES\nDES\nDESede\nHmacSHA1\nHmacSHA224\nHmacSHA256\nHmacSHA384\nHmacSHA512\nARCFOUR\nRC2\nBlowfish\nChaCha20' -- "$cur"))
        else
            COMPREPLY=($(compgen -W $'RSA\nEC\nEd25519\nEd448' -- "$cur"))
        fi
        return ;;
    --sigalg)
        COMPREPLY=($(compgen -W $'SHA256withRSA\nSHA384withRSA\nSHA512withRSA\nSHA256withECDSA\nSHA384withECDSA\nSHA512withECDSA\nEd25519\nEd448' -- "$cur"))
        return ;;
    --alias | -a)
        # import's --alias names entries of --file or a new one: no list to offer
        [[ $cmd == import ]] && return
        COMPREPLY=($(compgen -W "$(_jkstool_aliases "$prog" "$ks" "$sp" "$type")" -- "$cur"))
        return ;;
    --storepass | --keypass | --out-storepass | --out-keypass | --new-storepass | --new-keypass | --truststore-pass)
        # readline replaces only what follows the ':' when ':' breaks words
        local pre=${cur%%:*}:
        [[ $COMP_WORDBREAKS == *:* ]] && pre=""
        case $cur in
        env:*) COMPREPLY=($(compgen -P "$pre" -v -- "${cur#env:}")) ;;
        file:*) COMPREPLY=($(compgen -P "$pre" -f -- "${cur#file:}")) ;;
        *) COMPREPLY=($(compgen -W $'pass:\nenv:\nfile:' -- "$cur")); compopt -o nospace 2>/dev/null ;;
        esac
        return ;;
    --split) COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
    --file | --out | -o)
        # "-": standard input (--file) or output (--out)
        COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null
        [[ -z $cur || $cur == - ]] && COMPREPLY+=(-)
        return ;;
    --key-manager) COMPREPLY=($(compgen -W "sunx509 pkix" -- "$cur")); return ;;
    --jdk) COMPREPLY=($(compgen -W "17 21 25" -- "$cur")); return ;;
    --cafile | --truststore | --ca-names | --java-cacerts)
        COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
    --at | --dname | --ext | --keysize | --validity | --connect | --servername | --timeout | --max-iterations)
        return ;;
    esac
    # rename KEYSTORE OLD NEW: OLD is one of KEYSTORE's aliases, NEW is new
    if [[ $cmd == rename && $cur != -* && -n $ks ]]; then
        ((npos == 0)) && COMPREPLY=($(compgen -W "$(_jkstool_aliases "$prog" "$ks" "$sp" "$type")" -- "$cur"))
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_jkstool_options "$prog" "$cmd")" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
        compopt -o filenames 2>/dev/null
    fi
}
complete -F _jkstool jkstool
