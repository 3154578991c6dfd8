#!/usr/bin/env python3
"""An ICAO Doc 9303 chip for HoSo's tests: a Vietnamese identity card's data
groups (EF.COM, DG1, DG2, DG13, EF.SOD signed by a test CSCA), opened by BAC
-- or, with --pace CURVE, by PACE only (ECDH generic mapping, AES-128, on
NIST P-256 or brainpoolP256r1, offered in EF.CardAccess) -- and read under
secure messaging (3DES after BAC, AES after PACE), plugged into vsmartcard's
virtual reader (vpcd, loaded by a real pcscd) over its socket.

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
from cryptography.hazmat.primitives import cmac, hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.x509.oid import NameOID

AID = bytes.fromhex("A0000002471001")
ATR = bytes.fromhex("3B80800101")


# --- the ciphers (Doc 9303 part 11, 9.7) -----------------------------------

def pad(data, block=8):
    """ISO/IEC 9797-1 padding method 2 to `block` bytes."""
    data = data + b"\x80"
    return data + b"\x00" * (-len(data) % block)


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


# --- AES secure messaging and PACE (Doc 9303 part 11, 4.4 and 9.8) ----------

def aes(key, data, iv=b"\x00" * 16, decrypt=False):
    c = Cipher(algorithms.AES(key), modes.CBC(iv))
    op = c.decryptor() if decrypt else c.encryptor()
    return op.update(data) + op.finalize()


def aes_cmac(key, data):
    c = cmac.CMAC(algorithms.AES(key))
    c.update(data)
    return c.finalize()[:8]


class Curve:
    """Affine arithmetic on y^2 = x^3 + ax + b over GF(p), for the card's
    side of the generic mapping (`cryptography` has no point addition).
    Checked at start against `cryptography`'s own keys."""

    def __init__(self, name, param, p, a, b, gx, gy, n, ref):
        self.name, self.param = name, param
        self.p, self.a, self.b, self.n = int(p, 16), int(a, 16), int(b, 16), int(n, 16)
        self.g = (int(gx, 16), int(gy, 16))
        self.len = (self.p.bit_length() + 7) // 8
        k = 0x1234567
        pub = ec.derive_private_key(k, ref).public_key().public_numbers()
        assert self.mul(k, self.g) == (pub.x, pub.y), name

    def add(self, P, Q):
        if P is None:
            return Q
        if Q is None:
            return P
        p = self.p
        if P[0] == Q[0]:
            if (P[1] + Q[1]) % p == 0:
                return None
            lam = (3 * P[0] * P[0] + self.a) * pow(2 * P[1], -1, p) % p
        else:
            lam = (Q[1] - P[1]) * pow(Q[0] - P[0], -1, p) % p
        x = (lam * lam - P[0] - Q[0]) % p
        return (x, (lam * (P[0] - x) - P[1]) % p)

    def mul(self, k, P):
        R = None
        while k:
            if k & 1:
                R = self.add(R, P)
            P = self.add(P, P)
            k >>= 1
        return R

    def encode(self, P):
        return b"\x04" + P[0].to_bytes(self.len, "big") + P[1].to_bytes(self.len, "big")

    def decode(self, data):
        if len(data) != 1 + 2 * self.len or data[0] != 4:
            raise ValueError("point")
        x, y = int.from_bytes(data[1:1 + self.len], "big"), int.from_bytes(data[1 + self.len:], "big")
        if (y * y - x * x * x - self.a * x - self.b) % self.p:
            raise ValueError("not on the curve")
        return (x, y)

    def secret(self):
        return int.from_bytes(os.urandom(self.len + 8), "big") % (self.n - 1) + 1


def curve(name):
    if name == "P256":
        return Curve("P256", 12,
                     "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
                     "ffffffff00000001000000000000000000000000fffffffffffffffffffffffc",
                     "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
                     "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
                     "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
                     "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", ec.SECP256R1())
    return Curve("BP256", 13,
                 "a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377",
                 "7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9",
                 "26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6",
                 "8bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262",
                 "547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997",
                 "a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7", ec.BrainpoolP256R1())


# id-PACE-ECDH-GM-AES-CBC-CMAC-128
PACE_OID = bytes.fromhex("04007F00070202040202")


def card_access(c):
    info = tlv(b"\x06", PACE_OID) + tlv(b"\x02", b"\x02") + tlv(b"\x02", bytes([c.param]))
    return tlv(b"\x31", tlv(b"\x30", info))


def public_key(point):
    return tlv(b"\x7F\x49", tlv(b"\x06", PACE_OID) + tlv(b"\x86", point))


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
    def __init__(self, files, password, pace=None):
        self.files = files
        self.k_enc, self.k_mac = derive(password[:16], 1), derive(password[:16], 2)
        self.password, self.pace = password, pace
        self.reset()

    def reset(self):
        self.rnd_ic = None
        self.session = None
        self.selected = None
        self.step = None

    def apdu(self, a):
        cla, ins, p1, p2 = a[0], a[1], a[2], a[3]
        if cla & 0x0C == 0x0C:
            return self.secure(a)
        if ins == 0xA4 and p1 == 0x04:
            self.reset()
            return b"\x90\x00" if a[5:5 + a[4]] == AID else b"\x6A\x82"
        if self.pace:
            return self.pace_apdu(cla, ins, p1, p2, a)
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
        self.session = ["3des", derive(seed, 1), derive(seed, 2), int.from_bytes(rnd_ic[4:] + rnd_ifd[4:], "big")]
        return r + mac(self.k_mac, r) + b"\x90\x00"

    def pace_apdu(self, cla, ins, p1, p2, a):
        """A PACE-only card: EF.CardAccess in plain, MSE:Set AT, the
        GENERAL AUTHENTICATE chain; no BAC."""
        c = self.pace
        if ins == 0xA4 and p1 == 0x02:
            self.selected = int.from_bytes(a[5:5 + a[4]], "big")
            return b"\x90\x00" if self.selected == 0x011C else b"\x69\x82"
        if ins == 0xB0 and self.selected == 0x011C:
            f, offset = card_access(c), (p1 << 8) | p2
            chunk = f[offset:offset + (a[4] or 256)]
            return chunk + (b"\x90\x00" if len(chunk) == (a[4] or 256) else b"\x62\x82")
        if ins == 0x22 and (p1, p2) == (0xC1, 0xA4):
            data = a[5:5 + a[4]]
            if tlv(b"\x80", PACE_OID) not in data or b"\x83\x01\x01" not in data:
                return b"\x6A\x80"
            self.step = 0
            return b"\x90\x00"
        if ins != 0x86 or self.step is None:
            return b"\x6D\x00"
        data = a[5:5 + a[4]]
        if data[0] != 0x7C:
            return b"\x6A\x80"
        inner = data[2:2 + data[1]]
        value = inner[2:2 + inner[1]] if inner else b""
        try:
            if self.step == 0:
                self.s = os.urandom(16)
                k_pi = hashlib.sha1(self.password + struct.pack(">I", 3)).digest()[:16]
                out = tlv(b"\x80", aes(k_pi, self.s))
            elif self.step == 1:
                sk = c.secret()
                h = c.mul(sk, c.decode(value))
                self.mapped = c.add(c.mul(int.from_bytes(self.s, "big"), c.g), h)
                out = tlv(b"\x82", c.encode(c.mul(sk, c.g)))
            elif self.step == 2:
                self.pk_ifd = value
                sk = c.secret()
                self.pk_ic = c.encode(c.mul(sk, self.mapped))
                k = c.mul(sk, c.decode(value))[0].to_bytes(c.len, "big")
                self.keys = [hashlib.sha1(k + struct.pack(">I", n)).digest()[:16] for n in (1, 2)]
                out = tlv(b"\x84", self.pk_ic)
            else:
                ks_enc, ks_mac = self.keys
                self.step = None
                if aes_cmac(ks_mac, public_key(self.pk_ic)) != value:
                    return b"\x63\x00"
                self.session = ["aes", ks_enc, ks_mac, 0]
                return tlv(b"\x7C", tlv(b"\x86", aes_cmac(ks_mac, public_key(self.pk_ifd)))) + b"\x90\x00"
        except ValueError:
            self.step = None
            return b"\x6A\x80"
        self.step += 1
        return tlv(b"\x7C", out) + b"\x90\x00"

    def secure(self, a):
        if self.session is None:
            return b"\x69\x88"
        kind, ks_enc, ks_mac, ssc = self.session
        ssc += 1
        if kind == "aes":
            counter = lambda: ssc.to_bytes(16, "big")
            encrypt = lambda d: aes(ks_enc, pad(d, 16), iv=aes(ks_enc, counter()))
            decrypt = lambda d: unpad(aes(ks_enc, d, iv=aes(ks_enc, counter()), decrypt=True))
            sm_mac = lambda d: aes_cmac(ks_mac, pad(d, 16))
            header = pad(bytes(a[:4]), 16)
        else:
            counter = lambda: ssc.to_bytes(8, "big")
            encrypt = lambda d: tdes(ks_enc, pad(d))
            decrypt = lambda d: unpad(tdes(ks_enc, d, decrypt=True))
            sm_mac = lambda d: mac(ks_mac, d)
            header = pad(bytes(a[:4]))
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
        if do8e is None or sm_mac(counter() + header + macced) != do8e:
            self.session = None
            return b"\x69\x88"
        data = decrypt(do87[1:]) if do87 else b""
        le = do97[0] if do97 else 0
        out, sw = self.command(a[1], a[2], a[3], data, le)
        ssc += 1
        answer = b""
        if out:
            answer += tlv(b"\x87", b"\x01" + encrypt(out))
        answer += tlv(b"\x99", sw)
        answer += tlv(b"\x8E", sm_mac(counter() + answer))
        self.session[3] = ssc
        return answer + b"\x90\x00"

    def command(self, ins, p1, p2, data, le):
        if ins == 0xA4 and p1 == 0x04:
            return b"", (b"\x90\x00" if data == AID else b"\x6A\x82")
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
    ap.add_argument("--pace", choices=["P256", "BP256"], help="a PACE-only card on this curve")
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
    card = Card(files, hashlib.sha1(info.encode()).digest(), curve(args.pace) if args.pace else None)

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
