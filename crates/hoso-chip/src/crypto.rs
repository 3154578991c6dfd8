//! The ciphers of BAC and secure messaging (ICAO Doc 9303 part 11, 9.7):
//! two-key triple DES in CBC with a zero IV, the ISO/IEC 9797-1 MAC
//! algorithm 3 over single DES keys, padding method 2, and the key
//! derivation from a seed by SHA-1. The primitives are RustCrypto's (`des`,
//! `cbc`, `retail-mac`) and ring's SHA-1; only their arrangement is here.

use cbc::cipher::block_padding::{Iso7816, NoPadding};
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use des::TdesEde2;
use retail_mac::{KeyInit, Mac, RetailMac};
use zeroize::Zeroizing;

/// A 16-byte two-key triple DES key (K1 ‖ K2).
pub type Key = Zeroizing<[u8; 16]>;

const ZERO_IV: [u8; 8] = [0; 8];

/// Pads to a multiple of 8 bytes by ISO/IEC 9797-1 method 2 (0x80, then zeros).
pub fn pad(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 8);
    out.extend_from_slice(data);
    out.push(0x80);
    while out.len() % 8 != 0 {
        out.push(0);
    }
    out
}

/// Encrypts `data`, already a multiple of 8 bytes, without padding.
pub fn encrypt(key: &Key, data: &[u8]) -> Vec<u8> {
    debug_assert!(data.len().is_multiple_of(8));
    cbc::Encryptor::<TdesEde2>::new_from_slices(key.as_slice(), &ZERO_IV)
        .expect("16-byte key, 8-byte IV")
        .encrypt_padded_vec::<NoPadding>(data)
}

/// Decrypts `data` without removing padding; `None` when not whole blocks.
pub fn decrypt(key: &Key, data: &[u8]) -> Option<Vec<u8>> {
    cbc::Decryptor::<TdesEde2>::new_from_slices(key.as_slice(), &ZERO_IV)
        .expect("16-byte key, 8-byte IV")
        .decrypt_padded_vec::<NoPadding>(data)
        .ok()
}

/// Decrypts and removes method 2 padding; `None` when either fails.
pub fn decrypt_unpad(key: &Key, data: &[u8]) -> Option<Vec<u8>> {
    cbc::Decryptor::<TdesEde2>::new_from_slices(key.as_slice(), &ZERO_IV)
        .expect("16-byte key, 8-byte IV")
        .decrypt_padded_vec::<Iso7816>(data)
        .ok()
}

/// The retail MAC of `data` (padded here by method 2).
pub fn mac(key: &Key, data: &[u8]) -> [u8; 8] {
    let mut m = RetailMac::<des::Des>::new_from_slice(key.as_slice()).expect("16-byte key");
    m.update(&pad(data));
    m.finalize().into_bytes().into()
}

/// Whether `tag` is the MAC of `data`, compared in constant time.
pub fn mac_holds(key: &Key, data: &[u8], tag: &[u8]) -> bool {
    let mut m = RetailMac::<des::Des>::new_from_slice(key.as_slice()).expect("16-byte key");
    m.update(&pad(data));
    m.verify_slice(tag).is_ok()
}

/// The key derived from `seed` for counter `c` (1: encryption, 2: MAC):
/// the first 16 bytes of SHA-1(seed ‖ c), each byte's parity bit set.
pub fn derive(seed: &[u8], c: u32) -> Key {
    let mut input = Zeroizing::new(seed.to_vec());
    input.extend_from_slice(&c.to_be_bytes());
    let hash = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &input);
    let mut key = Zeroizing::new([0u8; 16]);
    key.copy_from_slice(&hash.as_ref()[..16]);
    for b in key.iter_mut() {
        // DES uses 7 bits of a byte; the eighth makes the count of ones odd.
        *b = (*b & 0xFE) | u8::from((*b >> 1).count_ones() % 2 == 0);
    }
    key
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
        assert_eq!(decrypt_unpad(&key, &encrypt(&key, &pad(b"abc"))).unwrap(), b"abc");
    }
}
