#!/usr/bin/env python3
"""Prefix every top-level function declaration in include/jks/*.h that lacks
it with JKS_EXTERN (tests/abi.sh fails on an unmarked one)."""
import glob, re, sys
pat = re.compile(r'^(?!typedef|static|#|\s|JKS_EXTERN)((?:const\s+)?(?:unsigned\s+)?[A-Za-z_]\w*[\s\*]+\**)(jks_\w+)\s*\(')
for f in sorted(glob.glob((sys.argv[1] if len(sys.argv) > 1 else 'include/jks') + '/*.h')):
    lines = open(f).read().split('\n')
    n = 0
    for i, l in enumerate(lines):
        if pat.match(l):
            lines[i] = 'JKS_EXTERN ' + l
            n += 1
    if n:
        open(f, 'w').write('\n'.join(lines))
        print(f"{f}: {n} marked")
