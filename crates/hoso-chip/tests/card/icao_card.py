#!/usr/bin/env python3
"""An ICAO Doc 9303 chip for HoSo's tests: a Vietnamese identity card's data
groups (EF.COM, DG1, DG2, DG13, EF.SOD signed by a test CSCA), opened by BAC
and read under secure messaging, plugged into vsmartcard's virtual reader
(vpcd, loaded by a real pcscd) over its socket.

Written for the tests: Debian's own emulator (vicc, python3-virtualsmartcard
3.3) does not run its ePass card under Python 3 (`import sha`, `raw_input`,
str/bytes mix-ups).

vpcd's socket: the emulator connects to the port in pcscd's reader.conf;
every message is a 2-byte big-endian length and its bytes. A message of one
byte is a control (0 power off, 1 power on, 2 reset, 4 send the ATR); any
other is an APDU, answered the same way.

Faults on demand: --tamper-dg13 changes DG13 after it was signed;
--unknown-signer signs with a Document Signer of another CSCA than the one
in DIR/csca.pem; --remove-after N drops the connection at the N-th APDU, as
a card taken off the reader.

Needs `cryptography` and `asn1crypto` (pyHanko's virtual environment has both).
"""

import argparse
import datetime
import hashlib
import json
import os
import socket
import struct
import sys

from asn1crypto import algos, cms, core
from cryptography import x509
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, modes
from cryptography.x509.oid import NameOID

AID = bytes.fromhex("A0000002471001")
ATR = bytes.fromhex("3B80800101")


# --- the ciphers (Doc 9303 part 11, 9.7) -----------------------------------

def pad(data):
    data = data + b"\x80"
    return data + b"\x00" * (-len(data) % 8)


def unpad(data):
    end = data.rstrip(b"\x00")
    if not end.endswith(b"\x80"):
        raise ValueError("padding")
    return end[:-1]


def tdes(key, data, decrypt=False):
    c = Cipher(TripleDES(key + key[:8]), modes.CBC(b"\x00" * 8))
    op = c.decryptor() if decrypt else c.encryptor()
    return op.update(data) + op.finalize()


def des(key, data, decrypt=False):
    return tdes(key[:8] * 2, data, decrypt)


def mac(key, data):
    """ISO 9797-1 MAC algorithm 3, padding method 2."""
    data = pad(data)
    h = b"\x00" * 8
    for i in range(0, len(data), 8):
        block = bytes(a ^ b for a, b in zip(h, data[i:i + 8]))
        h = des(key[:8], block)
    h = des(key[8:16], h, decrypt=True)
    return des(key[:8], h)


def derive(seed, c):
    h = hashlib.sha1(seed + struct.pack(">I", c)).digest()[:16]
    return bytes((b & 0xFE) | (bin(b >> 1).count("1") % 2 == 0) for b in h)


def check_digit(s):
    weights = [7, 3, 1]
    total = 0
    for i, ch in enumerate(s):
        v = 0 if ch == "<" else int(ch) if ch.isdigit() else ord(ch) - 55
        total += v * weights[i % 3]
    return str(total % 10)


# --- BER-TLV ---------------------------------------------------------------

def tlv(tag, value):
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    elif n < 0x100:
        length = bytes([0x81, n])
    else:
        length = bytes([0x82, n >> 8, n & 0xFF])
    return tag + length + value


def field(n, *values):
    inner = tlv(b"\x02", bytes([n]))
    for v in values:
        inner += tlv(b"\x0C", v.encode())
    return tlv(b"\x30", inner)


# --- the card's files --------------------------------------------------------

def td1(p):
    doc = p["id"][-9:]
    line1 = "IDVNM" + doc + check_digit(doc) + p["id"] + "<"
    line1 = line1.ljust(30, "<")[:30]
    line2 = p["birth"] + check_digit(p["birth"]) + p["sex_mrz"] + p["expiry"] + check_digit(p["expiry"]) + "VNM"
    line2 = line2.ljust(29, "<")
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    line2 += check_digit(composite)
    line3 = p["name_mrz"].ljust(30, "<")[:30]
    return line1 + line2 + line3


def files_for(p, portrait):
    dg1 = tlv(b"\x61", tlv(b"\x5F\x1F", td1(p).encode()))
    # ISO/IEC 19794-5 record: 'FAC' 0 '010' 0, lengths and headers, then the image.
    record = b"FAC\x00010\x00" + struct.pack(">IH", 14 + 32 + len(portrait), 1) + b"\x00" * 32 + portrait
    dg2 = tlv(b"\x75", tlv(b"\x7F\x61", tlv(b"\x02", b"\x01") + tlv(b"\x7F\x60", tlv(b"\xA1", tlv(b"\x80", b"\x01\x01")) + tlv(b"\x5F\x2E", record))))
    dg13 = tlv(b"\x6D", tlv(b"\x30", b"".join([
        field(1, p["id"]), field(2, p["name"]), field(3, p["birth_text"]), field(4, p["sex"]),
        field(5, "Việt Nam"), field(6, p.get("ethnicity", "Kinh")), field(7, p.get("religion", "Không")),
        field(8, p.get("origin", "")), field(9, p.get("residence", "")), field(10, p.get("marks", "")),
        field(11, p.get("issued", "")), field(12, p["expiry_text"]),
        tlv(b"\x30", tlv(b"\x02", b"\x0D") + tlv(b"\x30", tlv(b"\x0C", p.get("father", "").encode()))
            + tlv(b"\x30", tlv(b"\x0C", p.get("mother", "").encode()))),
        field(16, p.get("old_id", "")),
    ])))
    com = tlv(b"\x60", tlv(b"\x5F\x01", b"0107") + tlv(b"\x5F\x36", b"040000") + tlv(b"\x5C", b"\x61\x75\x6D"))
    return {0x011E: com, 0x0101: dg1, 0x0102: dg2, 0x010D: dg13}


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def certificate(subject, issuer, key, issuer_key, ca):
    now = datetime.datetime.now(datetime.timezone.utc)
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
         .serial_number(x509.random_serial_number())
         .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=3650)))
    if ca:
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        b = b.add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
    else:
        b = b.add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
    return b.sign(issuer_key, hashes.SHA256())


def csca(directory, label):
    """The CSCA kept in DIR (made on first use), or a stranger's."""
    key_path = os.path.join(directory, f"{label}.key")
    cert_path = os.path.join(directory, f"{label}.pem")
    if os.path.exists(key_path):
        key = serialization.load_pem_private_key(open(key_path, "rb").read(), None)
        cert = x509.load_pem_x509_certificate(open(cert_path, "rb").read())
        return key, cert
    key = ec.generate_private_key(ec.SECP256R1())
    cert = certificate(name(f"CSCA {label}"), name(f"CSCA {label}"), key, key, ca=True)
    open(key_path, "wb").write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()))
    open(cert_path, "wb").write(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def sod(files, ca_key, ca_cert):
    """EF.SOD: a SignedData over the LDSSecurityObject of DG1, DG2 and DG13."""
    class DataGroupHash(core.Sequence):
        _fields = [("number", core.Integer), ("hash", core.OctetString)]

    class DataGroupHashes(core.SequenceOf):
        _child_spec = DataGroupHash

    class LdsSecurityObject(core.Sequence):
        _fields = [("version", core.Integer), ("hash_algorithm", algos.DigestAlgorithm),
                   ("hashes", DataGroupHashes)]

    lds = LdsSecurityObject({
        "version": 0,
        "hash_algorithm": {"algorithm": "sha256"},
        "hashes": [{"number": fid & 0xFF, "hash": hashlib.sha256(files[fid]).digest()}
                   for fid in (0x0101, 0x0102, 0x010D)],
    }).dump()
    ds_key = ec.generate_private_key(ec.SECP256R1())
    ds_cert = certificate(name("Document Signer"), ca_cert.subject, ds_key, ca_key, ca=False)
    ds = x509.load_der_x509_certificate(ds_cert.public_bytes(serialization.Encoding.DER))
    ds_asn1 = cms.Certificate.load(ds.public_bytes(serialization.Encoding.DER))
    lds_oid = "2.23.136.1.1.1"
    cms.ContentType._map[lds_oid] = "ldsSecurityObject"
    attrs = cms.CMSAttributes([
        {"type": "content_type", "values": ["ldsSecurityObject"]},
        {"type": "message_digest", "values": [hashlib.sha256(lds).digest()]},
    ])
    signature = ds_key.sign(attrs.dump(), ec.ECDSA(hashes.SHA256()))
    signed = cms.SignedData({
        "version": "v3",
        "digest_algorithms": [{"algorithm": "sha256"}],
        "encap_content_info": {"content_type": "ldsSecurityObject", "content": core.ParsableOctetString(lds)},
        "certificates": [ds_asn1],
        "signer_infos": [{
            "version": "v1",
            "sid": cms.SignerIdentifier({"issuer_and_serial_number": {
                "issuer": ds_asn1.issuer, "serial_number": ds_asn1.serial_number}}),
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": attrs,
            "signature_algorithm": {"algorithm": "sha256_ecdsa"},
            "signature": signature,
        }],
    })
    info = cms.ContentInfo({"content_type": "signed_data", "content": signed})
    return tlv(b"\x77", info.dump())


# --- the card ------------------------------------------------------------------

class Card:
    def __init__(self, files, key_seed):
        self.files = files
        self.k_enc, self.k_mac = derive(key_seed, 1), derive(key_seed, 2)
        self.reset()

    def reset(self):
        self.rnd_ic = None
        self.session = None
        self.selected = None

    def apdu(self, a):
        cla, ins, p1, p2 = a[0], a[1], a[2], a[3]
        if cla & 0x0C == 0x0C:
            return self.secure(a)
        if ins == 0xA4 and p1 == 0x04:
            self.reset()
            return b"\x90\x00" if a[5:5 + a[4]] == AID else b"\x6A\x82"
        if ins == 0x84:
            self.rnd_ic = os.urandom(8)
            return self.rnd_ic + b"\x90\x00"
        if ins == 0x82:
            return self.authenticate(a[5:5 + a[4]])
        # Files before BAC: security status not satisfied.
        return b"\x69\x82"

    def authenticate(self, data):
        if self.rnd_ic is None or len(data) != 40 or mac(self.k_mac, data[:32]) != data[32:]:
            return b"\x63\x00"
        s = tdes(self.k_enc, data[:32], decrypt=True)
        rnd_ifd, rnd_ic, k_ifd = s[:8], s[8:16], s[16:32]
        if rnd_ic != self.rnd_ic:
            return b"\x63\x00"
        k_ic = os.urandom(16)
        r = tdes(self.k_enc, rnd_ic + rnd_ifd + k_ic)
        seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic))
        self.session = [derive(seed, 1), derive(seed, 2), int.from_bytes(rnd_ic[4:] + rnd_ifd[4:], "big")]
        return r + mac(self.k_mac, r) + b"\x90\x00"

    def secure(self, a):
        if self.session is None:
            return b"\x69\x88"
        ks_enc, ks_mac, ssc = self.session
        ssc += 1
        body = a[5:5 + a[4]]
        do87 = do97 = do8e = None
        i = 0
        macced = b""
        while i < len(body):
            tag, n = body[i], body[i + 1]
            off = 2
            if n == 0x81:
                n, off = body[i + 2], 3
            value = body[i + off:i + off + n]
            whole = body[i:i + off + n]
            if tag == 0x87:
                do87 = value
            elif tag == 0x97:
                do97 = value
            elif tag == 0x8E:
                do8e = value
            if tag != 0x8E:
                macced += whole
            i += off + n
        header = pad(bytes(a[:4]))
        if do8e is None or mac(ks_mac, ssc.to_bytes(8, "big") + header + macced) != do8e:
            self.session = None
            return b"\x69\x88"
        data = unpad(tdes(ks_enc, do87[1:], decrypt=True)) if do87 else b""
        le = do97[0] if do97 else 0
        out, sw = self.command(a[1], a[2], a[3], data, le)
        ssc += 1
        answer = b""
        if out:
            answer += tlv(b"\x87", b"\x01" + tdes(ks_enc, pad(out)))
        answer += tlv(b"\x99", sw)
        answer += tlv(b"\x8E", mac(ks_mac, ssc.to_bytes(8, "big") + answer))
        self.session[2] = ssc
        return answer + b"\x90\x00"

    def command(self, ins, p1, p2, data, le):
        if ins == 0xA4:
            fid = int.from_bytes(data, "big")
            if fid not in self.files:
                return b"", b"\x6A\x82"
            self.selected = fid
            return b"", b"\x90\x00"
        if ins == 0xB0 and self.selected is not None:
            f = self.files[self.selected]
            offset = (p1 << 8) | p2
            if offset > len(f):
                return b"", b"\x6B\x00"
            chunk = f[offset:offset + (le or 256)]
            return chunk, (b"\x90\x00" if len(chunk) == (le or 256) else b"\x62\x82")
        return b"", b"\x6D\x00"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--dir", required=True, help="where csca.pem is kept (made on first use)")
    ap.add_argument("--person", required=True, help="JSON of the card holder")
    ap.add_argument("--portrait", help="a JPEG for DG2")
    ap.add_argument("--tamper-dg13", action="store_true")
    ap.add_argument("--unknown-signer", action="store_true")
    ap.add_argument("--remove-after", type=int, default=0)
    args = ap.parse_args()

    p = json.load(open(args.person, encoding="utf-8"))
    portrait = open(args.portrait, "rb").read() if args.portrait else bytes.fromhex(
        "FFD8FFE000104A46494600010100000100010000FFD9")
    files = files_for(p, portrait)
    ca_key, ca_cert = csca(args.dir, "csca")
    if args.unknown_signer:
        ca_key, ca_cert = csca(args.dir, "stranger")
    files[0x011D] = sod(files, ca_key, ca_cert)
    if args.tamper_dg13:
        files[0x010D] = files[0x010D].replace(p["name"].encode(), p["name"][::-1].encode())
    doc = p["id"][-9:]
    info = doc + check_digit(doc) + p["birth"] + check_digit(p["birth"]) + p["expiry"] + check_digit(p["expiry"])
    card = Card(files, hashlib.sha1(info.encode()).digest()[:16])

    sock = None
    for _ in range(100):
        try:
            sock = socket.create_connection(("127.0.0.1", args.port))
            break
        except OSError:
            import time
            time.sleep(0.1)
    if sock is None:
        sys.exit("icao_card: vpcd is not listening on port %d" % args.port)
    print("icao_card: inserted", flush=True)
    count = 0

    def recv(n):
        buf = b""
        while len(buf) < n:
            got = sock.recv(n - len(buf))
            if not got:
                raise EOFError
            buf += got
        return buf

    try:
        while True:
            (n,) = struct.unpack(">H", recv(2))
            msg = recv(n)
            if n == 1:
                if msg[0] == 4:
                    sock.sendall(struct.pack(">H", len(ATR)) + ATR)
                elif msg[0] in (0, 2):
                    card.reset()
                continue
            count += 1
            if args.remove_after and count >= args.remove_after:
                print("icao_card: removed", file=sys.stderr, flush=True)
                sock.close()
                return
            answer = card.apdu(msg)
            sock.sendall(struct.pack(">H", len(answer)) + answer)
    except EOFError:
        pass


if __name__ == "__main__":
    main()
