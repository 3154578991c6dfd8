//! The ciphers of BAC, PACE and secure messaging (ICAO Doc 9303 part 11,
//! 9.7 and 9.8): two-key triple DES in CBC with a zero IV and the ISO/IEC
//! 9797-1 MAC algorithm 3 over single DES keys; AES in CBC (the IV is the
//! send sequence counter encrypted) and CMAC cut to 8 bytes; padding
//! method 2, and the key derivation from a shared secret by SHA-1 or
//! SHA-256. The primitives are RustCrypto's (`des`, `aes`, `cbc`,
//! `retail-mac`, `cmac`) and ring's hashes; only their arrangement is here.

use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use des::TdesEde2;
use retail_mac::{KeyInit, Mac, RetailMac};
use zeroize::Zeroizing;

/// A 16-byte two-key triple DES key (K1 ‖ K2).
pub type Key = Zeroizing<[u8; 16]>;

const ZERO_IV: [u8; 8] = [0; 8];

/// Pads to a multiple of 8 bytes by ISO/IEC 9797-1 method 2 (0x80, then zeros).
pub fn pad(data: &[u8]) -> Vec<u8> {
    Cipher::Tdes.pad(data)
}

/// Triple DES: encrypts `data`, already a multiple of 8 bytes, without padding.
pub fn encrypt(key: &Key, data: &[u8]) -> Vec<u8> {
    Cipher::Tdes.encrypt(key.as_slice(), &ZERO_IV, data).expect("16-byte key, whole blocks")
}

/// Triple DES: decrypts without removing padding; `None` when not whole blocks.
pub fn decrypt(key: &Key, data: &[u8]) -> Option<Vec<u8>> {
    Cipher::Tdes.decrypt(key.as_slice(), &ZERO_IV, data)
}

/// The retail MAC of `data` (padded here by method 2).
pub fn mac(key: &Key, data: &[u8]) -> [u8; 8] {
    Cipher::Tdes.mac(key.as_slice(), data).expect("16-byte key")
}

/// Whether `tag` is the retail MAC of `data`, compared in constant time.
pub fn mac_holds(key: &Key, data: &[u8], tag: &[u8]) -> bool {
    tag_holds(Cipher::Tdes.mac(key.as_slice(), data), tag)
}

/// Removes method 2 padding; `None` when there is none.
pub fn unpad(mut data: Vec<u8>) -> Option<Vec<u8>> {
    while data.last() == Some(&0) {
        data.pop();
    }
    (data.pop() == Some(0x80)).then_some(data)
}

/// BAC's key derived from `seed` for counter `c` (1: encryption, 2: MAC):
/// triple DES's KDF, each byte's parity bit set.
pub fn derive(seed: &[u8], c: u32) -> Key {
    let mut key = Zeroizing::new([0u8; 16]);
    key.copy_from_slice(&Cipher::Tdes.kdf(seed, c));
    for b in key.iter_mut() {
        // DES uses 7 bits of a byte; the eighth makes the count of ones odd.
        *b = (*b & 0xFE) | u8::from((*b >> 1).count_ones() % 2 == 0);
    }
    key
}

/// The block cipher of a secure channel: triple DES (BAC, and PACE's
/// 3DES suite) or AES with a 128-, 192- or 256-bit key (PACE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cipher {
    Tdes,
    Aes128,
    Aes192,
    Aes256,
}

impl Cipher {
    /// The block size: the counter's length and the padding's multiple.
    pub fn block(self) -> usize {
        match self {
            Cipher::Tdes => 8,
            _ => 16,
        }
    }

    fn key_len(self) -> usize {
        match self {
            Cipher::Tdes | Cipher::Aes128 => 16,
            Cipher::Aes192 => 24,
            Cipher::Aes256 => 32,
        }
    }

    /// KDF(K, c) of Doc 9303 part 11, 9.7.1: the hash of K ‖ c (SHA-1 for
    /// triple DES and AES-128, SHA-256 above), cut to the key's length.
    /// Counter 1 gives the encryption key, 2 the MAC key, 3 PACE's K_π.
    pub fn kdf(self, secret: &[u8], c: u32) -> Zeroizing<Vec<u8>> {
        let mut input = Zeroizing::new(secret.to_vec());
        input.extend_from_slice(&c.to_be_bytes());
        let algorithm = match self {
            Cipher::Tdes | Cipher::Aes128 => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            Cipher::Aes192 | Cipher::Aes256 => &ring::digest::SHA256,
        };
        let hash = ring::digest::digest(algorithm, &input);
        Zeroizing::new(hash.as_ref()[..self.key_len()].to_vec())
    }

    /// Pads to the block size by ISO/IEC 9797-1 method 2.
    pub fn pad(self, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(data.len() + self.block());
        out.extend_from_slice(data);
        out.push(0x80);
        while out.len() % self.block() != 0 {
            out.push(0);
        }
        out
    }

    /// CBC encryption of whole blocks under `key` from `iv`; `None` when
    /// the key, the IV or the data do not fit the cipher.
    pub fn encrypt(self, key: &[u8], iv: &[u8], data: &[u8]) -> Option<Vec<u8>> {
        fn run<C: cbc::cipher::BlockCipherEncrypt + KeyInit>(
            key: &[u8],
            iv: &[u8],
            data: &[u8],
        ) -> Option<Vec<u8>> {
            if !data.len().is_multiple_of(C::block_size()) {
                return None;
            }
            let mode = cbc::Encryptor::<C>::new_from_slices(key, iv).ok()?;
            Some(mode.encrypt_padded_vec::<NoPadding>(data))
        }
        match self {
            Cipher::Tdes => run::<TdesEde2>(key, iv, data),
            Cipher::Aes128 => run::<aes::Aes128>(key, iv, data),
            Cipher::Aes192 => run::<aes::Aes192>(key, iv, data),
            Cipher::Aes256 => run::<aes::Aes256>(key, iv, data),
        }
    }

    /// CBC decryption of whole blocks (no padding removed); `None` when the
    /// key, the IV or the data do not fit the cipher.
    pub fn decrypt(self, key: &[u8], iv: &[u8], data: &[u8]) -> Option<Vec<u8>> {
        fn run<C: cbc::cipher::BlockCipherDecrypt + KeyInit>(
            key: &[u8],
            iv: &[u8],
            data: &[u8],
        ) -> Option<Vec<u8>> {
            if !data.len().is_multiple_of(C::block_size()) {
                return None;
            }
            let mode = cbc::Decryptor::<C>::new_from_slices(key, iv).ok()?;
            mode.decrypt_padded_vec::<NoPadding>(data).ok()
        }
        match self {
            Cipher::Tdes => run::<TdesEde2>(key, iv, data),
            Cipher::Aes128 => run::<aes::Aes128>(key, iv, data),
            Cipher::Aes192 => run::<aes::Aes192>(key, iv, data),
            Cipher::Aes256 => run::<aes::Aes256>(key, iv, data),
        }
    }

    /// The 8-byte MAC of `data` as secure messaging (and BAC) computes it:
    /// over `data` padded by method 2, by the retail MAC for triple DES and
    /// by CMAC cut to 8 bytes for AES.
    pub fn mac(self, key: &[u8], data: &[u8]) -> Option<[u8; 8]> {
        self.raw_mac(key, &self.pad(data))
    }

    /// PACE's authentication token over `data` (Doc 9303 part 11, 4.4.3.4):
    /// the MAC above for triple DES; for AES, CMAC of the bare data (CMAC
    /// pads by itself) cut to 8 bytes.
    pub fn token(self, key: &[u8], data: &[u8]) -> Option<[u8; 8]> {
        match self {
            Cipher::Tdes => self.mac(key, data),
            _ => self.raw_mac(key, data),
        }
    }

    /// The MAC of `data` as given.
    fn raw_mac(self, key: &[u8], data: &[u8]) -> Option<[u8; 8]> {
        macro_rules! cmac {
            ($aes:ty) => {{
                let mut m = <cmac::Cmac<$aes> as KeyInit>::new_from_slice(key).ok()?;
                m.update(data);
                let tag = m.finalize().into_bytes();
                tag.get(..8)?.try_into().ok()
            }};
        }
        match self {
            Cipher::Tdes => {
                let mut m = RetailMac::<des::Des>::new_from_slice(key).ok()?;
                m.update(data);
                Some(m.finalize().into_bytes().into())
            }
            Cipher::Aes128 => cmac!(aes::Aes128),
            Cipher::Aes192 => cmac!(aes::Aes192),
            Cipher::Aes256 => cmac!(aes::Aes256),
        }
    }
}

/// Whether `tag` is the computed MAC `mac`, compared in constant time
/// (every byte, whatever the first difference).
pub fn tag_holds(mac: Option<[u8; 8]>, tag: &[u8]) -> bool {
    mac.is_some_and(|m| tag.len() == m.len() && m.iter().zip(tag).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0)
}

/// SHA-1 of `data`.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let hash = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, data);
    hash.as_ref().try_into().expect("20 bytes")
}

#[cfg(test)]
pub(crate) fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_derive_as_in_the_worked_example() {
        // ICAO Doc 9303 part 11, appendix D.2: the MRZ information
        // L898902C<369080619406236 gives this seed and these keys.
        let seed = &sha1(b"L898902C<369080619406236")[..16];
        assert_eq!(seed, hex("239AB9CB282DAF66231DC5A4DF6BFBAE"));
        assert_eq!(derive(seed, 1).as_slice(), hex("AB94FDECF2674FDFB9B391F85D7F76F2"));
        assert_eq!(derive(seed, 2).as_slice(), hex("7962D9ECE03D1ACD4C76089DCE131543"));
    }

    #[test]
    fn the_authentication_cryptogram_is_the_worked_example() {
        // Doc 9303 part 11, D.3: S = RND.IFD ‖ RND.IC ‖ K.IFD, encrypted with
        // K_enc and MACed with K_mac.
        let seed = &sha1(b"L898902C<369080619406236")[..16];
        let s = hex("781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B");
        let e = encrypt(&derive(seed, 1), &s);
        assert_eq!(e, hex("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"));
        assert_eq!(mac(&derive(seed, 2), &e).as_slice(), hex("5F1448EEA8AD90A7"));
    }

    #[test]
    fn the_mac_pads_by_method_2() {
        let key = derive(b"any seed", 2);
        let tag = mac(&key, b"12345678");
        assert!(mac_holds(&key, b"12345678", &tag));
        assert!(!mac_holds(&key, b"12345679", &tag));
        assert_eq!(unpad(decrypt(&key, &encrypt(&key, &pad(b"abc"))).unwrap()).unwrap(), b"abc");
        assert_eq!(unpad(vec![1, 2, 0, 0]), None);
    }
}
