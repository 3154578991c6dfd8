//! Secure messaging after BAC or PACE (ICAO Doc 9303 part 11, 9.8): each
//! command's data encrypted in DO'87', its Le in DO'97', the header and both
//! under a MAC in DO'8E' with the send sequence counter before them; each
//! answer's DO'87' and status DO'99' under the card's MAC, checked before a
//! byte of it is believed. Triple DES (BAC, PACE) or AES (PACE): with AES
//! the IV is the counter encrypted, and the counter is 16 bytes.

use zeroize::Zeroizing;

use crate::crypto::{self, Cipher, Key};
use crate::{ChipError, Link};

/// The session keys and the send sequence counter of a channel.
pub struct Session {
    cipher: Cipher,
    ks_enc: Zeroizing<Vec<u8>>,
    ks_mac: Zeroizing<Vec<u8>>,
    ssc: Vec<u8>,
}

/// An answer: its data and status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub data: Vec<u8>,
    pub sw: u16,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The keys are secrets: never printed.
        f.debug_struct("Session").finish_non_exhaustive()
    }
}

impl Session {
    /// BAC's channel: triple DES keys and the counter it agreed.
    pub fn new(ks_enc: Key, ks_mac: Key, ssc: [u8; 8]) -> Session {
        Session {
            cipher: Cipher::Tdes,
            ks_enc: Zeroizing::new(ks_enc.to_vec()),
            ks_mac: Zeroizing::new(ks_mac.to_vec()),
            ssc: ssc.to_vec(),
        }
    }

    /// PACE's channel: its cipher's keys, the counter at zero.
    pub fn pace(cipher: Cipher, ks_enc: Zeroizing<Vec<u8>>, ks_mac: Zeroizing<Vec<u8>>) -> Session {
        Session { cipher, ks_enc, ks_mac, ssc: vec![0; cipher.block()] }
    }

    /// The IV of the current command or answer: zero for triple DES, the
    /// counter encrypted for AES.
    fn iv(&self) -> Vec<u8> {
        match self.cipher {
            Cipher::Tdes => vec![0; 8],
            aes => aes.encrypt(&self.ks_enc, &[0; 16], &self.ssc).unwrap_or_default(),
        }
    }

    /// The session keys, for the worked examples' tests.
    #[cfg(test)]
    pub(crate) fn keys(&self) -> (Vec<u8>, Vec<u8>) {
        (self.ks_enc.to_vec(), self.ks_mac.to_vec())
    }

    fn mac(&self, data: &[u8]) -> Option<[u8; 8]> {
        self.cipher.mac(&self.ks_mac, data)
    }

    fn next(&mut self) {
        for b in self.ssc.iter_mut().rev() {
            *b = b.wrapping_add(1);
            if *b != 0 {
                break;
            }
        }
    }

    /// The protected form of the command `cla ins p1 p2 [data] [le]`.
    pub fn protect(&mut self, header: [u8; 4], data: &[u8], le: Option<u8>) -> Vec<u8> {
        let mut header = header;
        header[0] |= 0x0C;
        self.next();
        let mut body = Vec::new();
        if !data.is_empty() {
            let padded = self.cipher.pad(data);
            let encrypted = self.cipher.encrypt(&self.ks_enc, &self.iv(), &padded).unwrap_or_default();
            push_tlv(&mut body, &[0x87], &[&[0x01], &encrypted]);
        }
        if let Some(le) = le {
            body.extend_from_slice(&[0x97, 0x01, le]);
        }
        let mut n = self.ssc.clone();
        n.extend_from_slice(&self.cipher.pad(&header));
        n.extend_from_slice(&body);
        let cc = self.mac(&n).unwrap_or_default();
        body.extend_from_slice(&[0x8E, 0x08]);
        body.extend_from_slice(&cc);
        let mut apdu = header.to_vec();
        apdu.push(u8::try_from(body.len()).expect("short APDU: a command's data is at most 200 bytes here"));
        apdu.extend_from_slice(&body);
        apdu.push(0x00);
        apdu
    }

    /// Checks and opens the card's answer to the last protected command.
    pub fn unprotect(&mut self, raw: &[u8]) -> Result<Answer, ChipError> {
        self.next();
        let (body, outer) = crate::split_sw(raw)?;
        if body.is_empty() {
            // An error may come in plain, outside secure messaging (6987,
            // 6988, 6A82...); success and warnings only under the MAC.
            return match outer >> 8 {
                0x64..=0x6F => Ok(Answer { data: Vec::new(), sw: outer }),
                _ => Err(ChipError::Integrity),
            };
        }
        let mut rest = body;
        let (mut do87, mut do99, mut do8e) = (None, None, None);
        while !rest.is_empty() {
            let (tag, value, after) = crate::lds::tlv(rest).ok_or(ChipError::Integrity)?;
            let whole = &rest[..rest.len() - after.len()];
            match tag {
                0x87 => do87 = Some((value, whole)),
                0x99 => do99 = Some((value, whole)),
                0x8E => do8e = Some(value),
                _ => return Err(ChipError::Integrity),
            }
            rest = after;
        }
        let (cc, (sw, sw_whole)) = match (do8e, do99) {
            (Some(cc), Some(sw)) => (cc, sw),
            _ => return Err(ChipError::Integrity),
        };
        let mut k = self.ssc.clone();
        if let Some((_, whole)) = do87 {
            k.extend_from_slice(whole);
        }
        k.extend_from_slice(sw_whole);
        if !crypto::tag_holds(self.mac(&k), cc) || sw.len() != 2 {
            return Err(ChipError::Integrity);
        }
        let data = match do87 {
            Some((value, _)) => match value.split_first() {
                Some((0x01, encrypted)) => self
                    .cipher
                    .decrypt(&self.ks_enc, &self.iv(), encrypted)
                    .and_then(crypto::unpad)
                    .ok_or(ChipError::Integrity)?,
                _ => return Err(ChipError::Integrity),
            },
            None => Vec::new(),
        };
        Ok(Answer { data, sw: u16::from_be_bytes([sw[0], sw[1]]) })
    }

    /// Sends a protected command and opens its answer.
    pub fn send(
        &mut self,
        link: &mut dyn Link,
        header: [u8; 4],
        data: &[u8],
        le: Option<u8>,
    ) -> Result<Answer, ChipError> {
        let apdu = self.protect(header, data, le);
        let raw = link.transmit(&apdu)?;
        self.unprotect(&raw)
    }
}

/// Appends the BER-TLV element `tag`, its length and `parts` (the value,
/// in pieces).
pub(crate) fn push_tlv(out: &mut Vec<u8>, tag: &[u8], parts: &[&[u8]]) {
    out.extend_from_slice(tag);
    push_len(out, parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.extend_from_slice(p);
    }
}

fn push_len(out: &mut Vec<u8>, len: usize) {
    match len {
        0..=0x7F => out.push(len as u8),
        0x80..=0xFF => out.extend_from_slice(&[0x81, len as u8]),
        _ => out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::hex;

    fn key(h: &str) -> Key {
        Key::new(hex(h).try_into().unwrap())
    }

    /// Doc 9303 part 11, D.4: the session of the worked example.
    fn worked_example() -> Session {
        Session::new(
            key("979EC13B1CBFE9DCD01AB0FED307EAE5"),
            key("F1CB1F1FB5ADF208806B89DC579DC1F8"),
            hex("887022120C06C226").try_into().unwrap(),
        )
    }

    #[test]
    fn select_and_read_are_protected_as_in_the_worked_example() {
        let mut s = worked_example();
        // SELECT EF.COM (011E)
        let apdu = s.protect([0x00, 0xA4, 0x02, 0x0C], &[0x01, 0x1E], None);
        assert_eq!(apdu, hex("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800"));
        let answer = s.unprotect(&hex("990290008E08FA855A5D4C50A8ED9000")).unwrap();
        assert_eq!(answer, Answer { data: vec![], sw: 0x9000 });
        // READ BINARY of the first four bytes
        let apdu = s.protect([0x00, 0xB0, 0x00, 0x00], &[], Some(4));
        assert_eq!(apdu, hex("0CB000000D9701048E08ED6705417E96BA5500"));
        let answer = s.unprotect(&hex("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000")).unwrap();
        assert_eq!(answer.data, hex("60145F01"));
    }

    #[test]
    fn aes_secure_messaging_is_a_real_cards() {
        // The first commands of a German card's session after PACE (AES-128,
        // counter from zero), as its reader logged them: SELECT 011D (its
        // EF.CardSecurity), then READ BINARY of four bytes, and the answers.
        let mut s = Session::pace(
            Cipher::Aes128,
            Zeroizing::new(hex("A8E85E938514EC67AE33CDA3D43D3C48")),
            Zeroizing::new(hex("27F1ADEB705A049A305B0C619B14B9B3")),
        );
        let apdu = s.protect([0x00, 0xA4, 0x02, 0x0C], &[0x01, 0x1D], None);
        assert_eq!(apdu, hex("0CA4020C1D87110147EE2E3BD440FB596167F2BB6CD6395E8E08A105747484314BCF00"));
        let answer = s.unprotect(&hex("990290008E085F570BADDD1002D29000")).unwrap();
        assert_eq!(answer, Answer { data: vec![], sw: 0x9000 });
        let apdu = s.protect([0x00, 0xB0, 0x00, 0x00], &[], Some(4));
        assert_eq!(apdu, hex("0CB000000D9701048E085D283EC183CBB99800"));
        let answer = s
            .unprotect(&hex("871101D688D27A6D16F03619E76DCB59C1F1EC990290008E08B7DF9A5982BB17299000"))
            .unwrap();
        // A DER SEQUENCE (ContentInfo) with a two-byte length.
        assert_eq!((answer.data.len(), answer.data[0], answer.data[1], answer.sw), (4, 0x30, 0x82, 0x9000));
        // One bit changed in the answer: refused.
        let mut s2 = Session::pace(
            Cipher::Aes128,
            Zeroizing::new(hex("A8E85E938514EC67AE33CDA3D43D3C48")),
            Zeroizing::new(hex("27F1ADEB705A049A305B0C619B14B9B3")),
        );
        s2.protect([0x00, 0xA4, 0x02, 0x0C], &[0x01, 0x1D], None);
        assert_eq!(s2.unprotect(&hex("990290008E085F570BADDD1002D39000")), Err(ChipError::Integrity));
    }

    #[test]
    fn a_changed_answer_is_refused() {
        let mut s = worked_example();
        s.protect([0x00, 0xA4, 0x02, 0x0C], &[0x01, 0x1E], None);
        let err = s.unprotect(&hex("990290018E08FA855A5D4C50A8ED9000")).unwrap_err();
        assert!(matches!(err, ChipError::Integrity));
        // Truncated, unknown objects, no MAC: refused, never a panic.
        for raw in [
            "9000",
            "6282",
            "99029000",
            "990290009000",
            "87FF019000",
            "8E089000",
            "5A0190009000",
            "82ffff9000",
        ] {
            let mut s = worked_example();
            s.protect([0x00, 0xB0, 0x00, 0x00], &[], Some(4));
            assert!(s.unprotect(&hex(raw)).is_err(), "{raw}");
        }
        // A plain error is taken as the error it is.
        let mut s = worked_example();
        s.protect([0x00, 0xA4, 0x02, 0x0C], &[0x01, 0x1E], None);
        assert_eq!(s.unprotect(&hex("6A82")).unwrap().sw, 0x6A82);
    }
}
