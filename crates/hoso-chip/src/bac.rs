//! Basic Access Control (ICAO Doc 9303 part 11, 4.3 and 9.7): the key from
//! the MRZ's document number, birth date and expiry date, the challenge and
//! mutual authentication, and the session keys and counter that secure
//! messaging goes on with.
//!
//! A card that offers PACE in EF.CardAccess is opened by [`crate::pace`]
//! instead, with the same key.

use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use crate::crypto::{self, Key};
use crate::sm::Session;
use crate::{ChipError, Link};

/// What opens the chip: three fields of the printed MRZ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MrzKey {
    /// Document number (on a CCCD, the last 9 digits of the personal ID).
    pub document: String,
    /// Birth date, YYMMDD.
    pub birth: String,
    /// Expiry date, YYMMDD.
    pub expiry: String,
}

impl MrzKey {
    /// Checks the fields' shape: a document number of `0-9A-Z`, dates of six digits.
    pub fn new(document: &str, birth: &str, expiry: &str) -> Result<MrzKey, ChipError> {
        let document = document.trim().to_ascii_uppercase();
        let date = |s: &str| s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit());
        if document.is_empty()
            || document.len() > 9
            || !document.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        {
            return Err(ChipError::BadKey("document"));
        }
        if !date(birth.trim()) {
            return Err(ChipError::BadKey("birth"));
        }
        if !date(expiry.trim()) {
            return Err(ChipError::BadKey("expiry"));
        }
        Ok(MrzKey { document, birth: birth.trim().to_owned(), expiry: expiry.trim().to_owned() })
    }

    /// From an MRZ that was read and checked.
    pub fn from_td1(td1: &hoso_model::Td1) -> Result<MrzKey, ChipError> {
        MrzKey::new(&td1.document_number, &td1.birth_yymmdd, &td1.expiry_yymmdd)
    }

    /// The MRZ information: each field with its check digit.
    fn information(&self) -> Zeroizing<String> {
        let document = format!("{:<<9}", self.document);
        let mut s = Zeroizing::new(String::new());
        for field in [document.as_str(), &self.birth, &self.expiry] {
            s.push_str(field);
            // Checked in `new`: digits and capitals only, so there is a digit.
            s.push(char::from(b'0' + hoso_model::check_digit(field).unwrap_or(0)));
        }
        s
    }

    /// PACE's password π: SHA-1 of the MRZ information.
    pub(crate) fn password(&self) -> Zeroizing<[u8; 20]> {
        Zeroizing::new(crypto::sha1(self.information().as_bytes()))
    }

    /// K_seed: the first 16 bytes of the password π.
    fn seed(&self) -> Zeroizing<[u8; 16]> {
        let mut seed = Zeroizing::new([0u8; 16]);
        seed.copy_from_slice(&self.password()[..16]);
        seed
    }
}

/// Runs BAC: GET CHALLENGE, EXTERNAL AUTHENTICATE, and the session.
pub fn open(link: &mut dyn Link, key: &MrzKey) -> Result<Session, ChipError> {
    let seed = key.seed();
    let (k_enc, k_mac) = (crypto::derive(seed.as_slice(), 1), crypto::derive(seed.as_slice(), 2));
    let challenge = link.transmit(&[0x00, 0x84, 0x00, 0x00, 0x08])?;
    let (rnd_ic, sw) = crate::split_sw(&challenge)?;
    if sw != 0x9000 || rnd_ic.len() != 8 {
        return Err(ChipError::Status { step: "get-challenge", sw });
    }
    let rng = SystemRandom::new();
    let mut rnd_ifd = [0u8; 8];
    let mut k_ifd = Zeroizing::new([0u8; 16]);
    rng.fill(&mut rnd_ifd).map_err(|_| ChipError::Random)?;
    rng.fill(k_ifd.as_mut_slice()).map_err(|_| ChipError::Random)?;
    let cryptogram = cryptogram(&k_enc, &k_mac, rnd_ic, &rnd_ifd, &k_ifd);
    let mut apdu = vec![0x00, 0x82, 0x00, 0x00, 0x28];
    apdu.extend_from_slice(&cryptogram);
    apdu.push(0x28);
    let answer = link.transmit(&apdu)?;
    let (body, sw) = crate::split_sw(&answer)?;
    if sw == 0x6300 || sw == 0x6982 || sw == 0x6988 {
        // The card could not check our cryptogram: the key is not this card's.
        return Err(ChipError::AccessRefused);
    }
    if sw != 0x9000 || body.len() != 40 {
        return Err(ChipError::Status { step: "external-authenticate", sw });
    }
    let (e_ic, m_ic) = body.split_at(32);
    if !crypto::mac_holds(&k_mac, e_ic, m_ic) {
        return Err(ChipError::Integrity);
    }
    let r = Zeroizing::new(crypto::decrypt(&k_enc, e_ic).ok_or(ChipError::Integrity)?);
    if r[..8] != *rnd_ic || r[8..16] != rnd_ifd {
        return Err(ChipError::Integrity);
    }
    Ok(session(&k_ifd, &r[16..32], rnd_ic, &rnd_ifd))
}

/// The terminal's cryptogram E_IFD ‖ M_IFD over S = RND.IFD ‖ RND.IC ‖ K.IFD.
fn cryptogram(k_enc: &Key, k_mac: &Key, rnd_ic: &[u8], rnd_ifd: &[u8; 8], k_ifd: &[u8; 16]) -> Vec<u8> {
    let mut s = Zeroizing::new(Vec::with_capacity(32));
    s.extend_from_slice(rnd_ifd);
    s.extend_from_slice(rnd_ic);
    s.extend_from_slice(k_ifd);
    let e_ifd = crypto::encrypt(k_enc, &s);
    let m_ifd = crypto::mac(k_mac, &e_ifd);
    let mut out = e_ifd;
    out.extend_from_slice(&m_ifd);
    out
}

/// The session keys from K.IFD ⊕ K.IC, and SSC = RND.IC[4..] ‖ RND.IFD[4..].
fn session(k_ifd: &[u8; 16], k_ic: &[u8], rnd_ic: &[u8], rnd_ifd: &[u8; 8]) -> Session {
    let mut seed = Zeroizing::new([0u8; 16]);
    for (i, b) in seed.iter_mut().enumerate() {
        *b = k_ifd[i] ^ k_ic[i];
    }
    let mut ssc = [0u8; 8];
    ssc[..4].copy_from_slice(&rnd_ic[4..8]);
    ssc[4..].copy_from_slice(&rnd_ifd[4..8]);
    Session::new(crypto::derive(seed.as_slice(), 1), crypto::derive(seed.as_slice(), 2), ssc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::hex;

    #[test]
    fn the_key_is_the_worked_examples() {
        // Doc 9303 part 11, D.2: document L898902C, born 690806, expiring 940623.
        let key = MrzKey::new("L898902C", "690806", "940623").unwrap();
        assert_eq!(key.information().as_str(), "L898902C<369080619406236");
        assert_eq!(key.seed().as_slice(), hex("239AB9CB282DAF66231DC5A4DF6BFBAE"));
        assert!(matches!(MrzKey::new("L8989 02C", "690806", "940623"), Err(ChipError::BadKey("document"))));
        assert!(matches!(MrzKey::new("L898902C", "6908", "940623"), Err(ChipError::BadKey("birth"))));
    }

    #[test]
    fn session_keys_are_the_worked_examples() {
        // D.3: K.IFD and K.IC, RND.IC and RND.IFD of the worked example.
        let k_ifd: [u8; 16] = hex("0B795240CB7049B01C19B33E32804F0B").try_into().unwrap();
        let k_ic = hex("0B4F80323EB3191CB04970CB4052790B");
        let rnd_ic = hex("4608F91988702212");
        let rnd_ifd: [u8; 8] = hex("781723860C06C226").try_into().unwrap();
        let mut s = session(&k_ifd, &k_ic, &rnd_ic, &rnd_ifd);
        // The session then protects SELECT EF.COM as in D.4.
        let apdu = s.protect([0x00, 0xA4, 0x02, 0x0C], &[0x01, 0x1E], None);
        assert_eq!(apdu, hex("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800"));
    }
}
