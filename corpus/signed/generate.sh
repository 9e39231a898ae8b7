#!/usr/bin/env bash
# Regenerate the signed SAML corpus: bash corpus/signed/generate.sh
# Needs bash, python3 (stdlib), openssl, xmlsec1 (Debian: xmlsec1 1.2.37).
# Keys are created only when missing (they are committed, throwaway test keys).
set -euo pipefail
cd "$(dirname "$0")"
for t in python3 openssl xmlsec1; do
  command -v "$t" >/dev/null || { echo "generate.sh: $t not found" >&2; exit 1; }
done
mkdir -p keys templates
(
cd keys
export LC_ALL=C

# selfsign KEYFILE CERTFILE CN START END SERIAL
selfsign() {
  local key=$1 crt=$2 cn=$3 start=$4 end=$5 serial=$6 tmp
  tmp=$(mktemp -d)
  touch "$tmp/index.txt"
  echo "$serial" > "$tmp/serial"
  cat > "$tmp/ca.cnf" <<CNF
[ ca ]
default_ca = selfca
[ selfca ]
dir = $tmp
database = $tmp/index.txt
serial = $tmp/serial
new_certs_dir = $tmp
default_md = sha256
policy = anything
unique_subject = no
email_in_dn = no
x509_extensions = ext
copy_extensions = none
[ anything ]
commonName = supplied
organizationName = optional
[ ext ]
basicConstraints = critical,CA:true
subjectKeyIdentifier = hash
keyUsage = critical,digitalSignature,keyCertSign
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
O = Acme
CN = $cn
CNF
  openssl req -new -key "$key" -config "$tmp/ca.cnf" -out "$tmp/req.csr"
  openssl ca -batch -notext -selfsign -config "$tmp/ca.cnf" -keyfile "$key" \
    -startdate "$start" -enddate "$end" -in "$tmp/req.csr" -out "$crt" 2>/dev/null
  rm -rf "$tmp"
}

rsa()  { [ -f "$1" ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"${2:-2048}" -out "$1" 2>/dev/null; }
ec()   { [ -f "$1" ] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:"$2" -pkeyopt ec_param_enc:named_curve -out "$1" 2>/dev/null; }

rsa idp.key;     [ -f idp.pem ]     || selfsign idp.key idp.pem acme.my.salesforce.com 20240101000000Z 20360101000000Z 1001
rsa other.key;   [ -f other.pem ]   || selfsign other.key other.pem acme.my.salesforce.com 20240101000000Z 20360101000000Z 1002
rsa expired.key; [ -f expired.pem ] || selfsign expired.key expired.pem acme.my.salesforce.com 20230101000000Z 20240101000000Z 1003
rsa weak1024.key 1024; [ -f weak1024.pem ] || selfsign weak1024.key weak1024.pem acme.my.salesforce.com 20240101000000Z 20360101000000Z 1004
ec ec256.key P-256; [ -f ec256.pem ] || selfsign ec256.key ec256.pem acme.my.salesforce.com 20240101000000Z 20360101000000Z 1256
ec ec384.key P-384; [ -f ec384.pem ] || selfsign ec384.key ec384.pem acme.my.salesforce.com 20240101000000Z 20360101000000Z 1384
ec ec521.key P-521; [ -f ec521.pem ] || selfsign ec521.key ec521.pem acme.my.salesforce.com 20240101000000Z 20360101000000Z 1521

# Derived forms of idp.pem (always re-derived; deterministic).
openssl x509 -in idp.pem -outform DER -out idp.der
grep -v -- '-----' idp.pem | tr -d '\r\n' > idp-bare.txt
sed 's/$/\r/' idp.pem > idp-crlf.pem
)
python3 gen.py
echo "corpus/signed: $(($(wc -l < manifest.tsv) - 1)) files, manifest.tsv written"
