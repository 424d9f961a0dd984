#!/usr/bin/env bash
# Regenerates the openssl-made fixtures used by the key-material tests.
# WHY: the library must accept exactly what the real openssl CLI writes, and its
# fingerprints must equal what openssl computes; so fixtures and expected values
# come from openssl itself, never from the code under test.
#
# Run from this directory:  ./make-fixtures.sh   (needs OpenSSL 3.x)
# Throw-away test keys only. Passphrase of every encrypted fixture: see PASS below.
set -euo pipefail
cd "$(dirname "$0")"
export LC_ALL=C

PASS='fixture-pass-7Qw!'
export PASS

rm -f ./*.pem ./*.p12 ./*.b64 ./*.der ./*.srl expected.properties

spki_sha256() { openssl pkey -in "$1" -passin env:PASS -pubout -outform DER | openssl dgst -sha256 -binary | openssl enc -base64 -A; }

# --- RSA 2048 in every form openssl writes ---------------------------------
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048-pkcs8.pem
openssl pkcs8 -topk8 -v2 des3        -in rsa2048-pkcs8.pem -passout env:PASS -out rsa2048-pkcs8-des3.pem
openssl pkcs8 -topk8 -v2 aes-256-cbc -in rsa2048-pkcs8.pem -passout env:PASS -out rsa2048-pkcs8-aes256.pem
openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES -in rsa2048-pkcs8.pem -passout env:PASS -out rsa2048-pkcs8-pbes1.pem
openssl pkcs8 -topk8 -scrypt -scrypt_N 16384 -scrypt_r 8 -scrypt_p 1 -in rsa2048-pkcs8.pem -passout env:PASS -out rsa2048-pkcs8-scrypt.pem
# One iteration over KdfLimits.DEFAULT: refused before any derivation.
openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 1000001 -in rsa2048-pkcs8.pem -passout env:PASS -out rsa2048-pkcs8-iter1000001.pem
openssl rsa -in rsa2048-pkcs8.pem -traditional -out rsa2048-pkcs1.pem
openssl rsa -in rsa2048-pkcs8.pem -traditional -aes256 -passout env:PASS -out rsa2048-pkcs1-encrypted.pem
openssl pkey -in rsa2048-pkcs8.pem -pubout -out rsa2048-public.pem

# --- EC P-256: SEC1 (with its EC PARAMETERS block) and PKCS#8 ---------------
openssl ecparam -name prime256v1 -genkey -out ec-p256-sec1.pem
openssl pkcs8 -topk8 -nocrypt -in ec-p256-sec1.pem -out ec-p256-pkcs8.pem
openssl pkcs8 -topk8 -v2 aes-256-cbc -in ec-p256-sec1.pem -passout env:PASS -out ec-p256-pkcs8-aes256.pem

# --- rejected keys ------------------------------------------------------------
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024-pkcs8.pem
openssl genpkey -algorithm ED25519 -out ed25519-pkcs8.pem
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out dsa-params.pem
openssl genpkey -paramfile dsa-params.pem -out dsa-pkcs8.pem
rm dsa-params.pem

# --- a self-signed certificate with its key ------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -sha256 \
  -subj '/C=CH/O=Keyline Test/CN=fixture.keyline.test' \
  -keyout cert-key.pem -out cert.pem

# --- a chain: root CA -> intermediate CA -> leaf --------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 -subj '/O=Keyline Test/CN=Fixture Root CA' \
  -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
  -keyout root-key.pem -out root.pem
openssl req -new -newkey rsa:2048 -nodes -subj '/O=Keyline Test/CN=Fixture Intermediate CA' \
  -keyout intermediate-key.pem -out intermediate.csr
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > ca.ext
openssl x509 -req -in intermediate.csr -CA root.pem -CAkey root-key.pem -CAcreateserial -days 1825 -sha256 \
  -extfile ca.ext -out intermediate.pem
openssl req -new -newkey rsa:2048 -nodes -subj '/O=Keyline Test/CN=leaf.keyline.test' \
  -keyout leaf-key.pem -out leaf.csr
printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:leaf.keyline.test\n' > leaf.ext
openssl x509 -req -in leaf.csr -CA intermediate.pem -CAkey intermediate-key.pem -CAcreateserial -days 365 -sha256 \
  -extfile leaf.ext -out leaf.pem
cat leaf.pem intermediate.pem root.pem > chain.pem
rm -f ./*.csr ./*.ext ./*.srl root-key.pem intermediate-key.pem

# --- PKCS#12 (what people upload instead of PEM) --------------------------------
openssl pkcs12 -export -in cert.pem -inkey cert-key.pem -name fixture -passout env:PASS -out cert.p12
openssl enc -base64 -A -in cert.p12 > cert.p12.b64

# --- expected values, computed by openssl ---------------------------------------
{
  echo "# Computed by openssl $(openssl version | cut -d' ' -f2) in make-fixtures.sh; do not edit."
  echo "passphrase=$PASS"
  echo "rsa2048.spki.sha256=$(spki_sha256 rsa2048-pkcs8.pem)"
  echo "ec-p256.spki.sha256=$(spki_sha256 ec-p256-sec1.pem)"
  echo "cert-key.spki.sha256=$(spki_sha256 cert-key.pem)"
  echo "leaf-key.spki.sha256=$(spki_sha256 leaf-key.pem)"
  for c in cert leaf intermediate root; do
    echo "$c.sha256=$(openssl x509 -in $c.pem -noout -fingerprint -sha256 | cut -d= -f2-)"
    echo "$c.subject=$(openssl x509 -in $c.pem -noout -subject -nameopt RFC2253 | sed 's/^subject=//')"
    echo "$c.issuer=$(openssl x509 -in $c.pem -noout -issuer -nameopt RFC2253 | sed 's/^issuer=//')"
    echo "$c.serial=$(openssl x509 -in $c.pem -noout -serial | cut -d= -f2-)"
    echo "$c.notBefore=$(openssl x509 -in $c.pem -noout -startdate -dateopt iso_8601 | cut -d= -f2-)"
    echo "$c.notAfter=$(openssl x509 -in $c.pem -noout -enddate -dateopt iso_8601 | cut -d= -f2-)"
    echo "$c.spki.sha256=$(openssl x509 -in $c.pem -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | openssl enc -base64 -A)"
    echo "$c.keyBits=$(openssl x509 -in $c.pem -noout -text | sed -n 's/.*Public-Key: (\([0-9]*\) bit).*/\1/p')"
  done
} > expected.properties
echo "fixtures written"
