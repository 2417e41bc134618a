# Shared by the interop scripts (sourced): a small PKI made with openssl.
#   mk NAME SUBJ [ISSUER] [ca] [rsa|ec]
# writes NAME.key (PKCS#8; RSA 2048 or EC P-256) and NAME.crt, self-signed
# when ISSUER is empty, else signed by ISSUER.crt/ISSUER.key; "ca" makes a CA
# (basicConstraints critical, keyCertSign), else a client certificate
# (digitalSignature, keyEncipherment, clientAuth). Valid MK_DAYS days (30).
mk() {
    local n=$1 subj=$2 iss=${3:-}
    if [ "${5:-rsa}" = ec ]; then openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$n.key" 2>/dev/null
    else openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$n.key" 2>/dev/null; fi
    if [ "${4:-}" = ca ]; then printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n' >"$n.ext"
    else printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n' >"$n.ext"; fi
    openssl req -new -key "$n.key" -subj "$subj" -out "$n.csr" 2>/dev/null
    if [ -z "$iss" ]; then
        openssl x509 -req -in "$n.csr" -signkey "$n.key" -days "${MK_DAYS:-30}" -extfile "$n.ext" -out "$n.crt" 2>/dev/null
    else
        openssl x509 -req -in "$n.csr" -CA "$iss.crt" -CAkey "$iss.key" -CAcreateserial -days "${MK_DAYS:-30}" \
            -extfile "$n.ext" -out "$n.crt" 2>/dev/null
    fi
}
