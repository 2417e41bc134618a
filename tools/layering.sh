#!/usr/bin/env bash
# make layering: every #include "..." in the library, check/ and cli/ must
# point down the layer list (README "Design"):
#   base < model < crypto < cert < codecs (jks pkcs12 pem bks) < ops < check < cli
# Codecs never include each other. check/ and cli/ include only the public
# headers (include/jks/), their own folder's headers and, for cli/, the
# listed helper set. usage: tools/layering.sh [ROOT]   (exit 1 on a violation)
set -uo pipefail
ROOT=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$ROOT" || exit 2
declare -A rank=([base]=0 [model]=1 [crypto]=2 [cert]=3 [jks]=4 [pkcs12]=4 [pem]=4 [bks]=4
                 [ops]=5 [check]=6 [cli]=7)
dirs="base model crypto cert jks pkcs12 pem bks ops check cli"
# headers cli/ may use beyond the public API: none today (curl's curlx idea)
CLI_HELPERS=""
declare -A home=()
for d in $dirs; do
    for h in "$d"/*.h; do
        [ -e "$h" ] || continue
        b=${h##*/}
        if [ -n "${home[$b]:-}" ]; then
            echo "layering: header name $b is in both ${home[$b]} and $d" >&2; bad=1
        fi
        home[$b]=$d
    done
done
for h in include/jks/*.h include/*.h; do [ -e "$h" ] && home[${h##*/}]=public; done
bad=${bad:-0}
for d in $dirs; do
    for f in "$d"/*.c "$d"/*.h; do
        [ -e "$f" ] || continue
        while IFS=: read -r ln inc; do
            b=${inc##*/}
            to=${home[$b]:-}
            [ "$inc" = "jks/$b" ] && to=public
            if [ -z "$to" ]; then
                case "$b" in config.h) continue ;; esac   # libtasn1's generated table
                echo "$f:$ln: includes \"$inc\", which is no header of the tree" ; bad=1; continue
            fi
            [ "$to" = public ] && continue
            [ "$to" = "$d" ] && continue
            if [ "$d" = check ] || [ "$d" = cli ]; then
                case " $CLI_HELPERS " in *" $b "*) [ "$d" = cli ] && continue ;; esac
                echo "$f:$ln: $d/ may include public headers only, not $to/$b"; bad=1; continue
            fi
            if [ "${rank[$to]}" -gt "${rank[$d]}" ]; then
                echo "$f:$ln: $d/ (layer ${rank[$d]}) includes $to/$b from a layer above (${rank[$to]})"; bad=1
            elif [ "${rank[$to]}" -eq "${rank[$d]}" ]; then
                echo "$f:$ln: codec $d/ includes $to/$b from the sibling codec $to/"; bad=1
            fi
        done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
                 sed -E 's/^([0-9]+):.*#[[:space:]]*include[[:space:]]*"([^"]+)".*/\1:\2/')
    done
done
if [ "$bad" = 0 ]; then echo "layering: ok"; else echo "layering: FAILED" >&2; fi
exit "$bad"
