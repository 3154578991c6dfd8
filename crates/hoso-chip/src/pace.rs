//! PACE, Password Authenticated Connection Establishment (ICAO Doc 9303
//! part 11, 4.4), with the MRZ as the password: the suites EF.CardAccess
//! offers ([`offered`]), and the protocol ([`open`]) — MSE:Set AT, then a
//! chain of GENERAL AUTHENTICATE: the card's nonce decrypted with K_π, the
//! generic mapping on the curve (G̃ = s·G + H), an anonymous ECDH on G̃, the
//! session keys, and the authentication tokens each side checks.
//!
//! Spoken: ECDH with the generic mapping (id-PACE-ECDH-GM) with triple DES
//! or AES-128/192/256, on the standardized domain parameters 12 (NIST
//! P-256), 13 (brainpoolP256r1), 15 (NIST P-384) and 16 (brainpoolP384r1).
//! A card offering only other suites (DH, the integrated or chip
//! authentication mapping, other curves) is opened with BAC, which Doc 9303
//! has such cards answer too. The curve arithmetic is RustCrypto's (`p256`,
//! `p384`, `bp256`, `bp384`); a point the card sends is decoded, checked on
//! the curve and refused as the identity before it is used.

use std::marker::PhantomData;

use p256::elliptic_curve::ff::{Field as _, PrimeField};
use p256::elliptic_curve::group::{Curve as _, Group as _};
use p256::elliptic_curve::sec1::{FromSec1Point, ModulusSize, ToSec1Point};
use p256::elliptic_curve::{AffinePoint, CurveArithmetic, FieldBytesSize, ProjectivePoint, Scalar};
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use crate::crypto::{self, Cipher};
use crate::sm::{Session, push_tlv};
use crate::{ChipError, Link, MrzKey, lds, split_sw};

/// id-PACE-ECDH-GM (0.4.0.127.0.7.2.2.4.2); the cipher's arc follows.
const ECDH_GM: [u8; 9] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02];

/// EF.CardAccess in the master file.
const EF_CARD_ACCESS: u16 = 0x011C;

/// The curves of the standardized domain parameters spoken here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    P256,
    Bp256,
    P384,
    Bp384,
}

impl Curve {
    /// By standardized domain parameter ID (Doc 9303 part 11, 9.5.1).
    fn of(id: u64) -> Option<Curve> {
        match id {
            12 => Some(Curve::P256),
            13 => Some(Curve::Bp256),
            15 => Some(Curve::P384),
            16 => Some(Curve::Bp384),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Curve::P256 => "NIST P-256",
            Curve::Bp256 => "brainpoolP256r1",
            Curve::P384 => "NIST P-384",
            Curve::Bp384 => "brainpoolP384r1",
        }
    }

    fn group(self) -> &'static dyn Group {
        static P256: Ec<p256::NistP256> = Ec(PhantomData);
        static BP256: Ec<bp256::BrainpoolP256r1> = Ec(PhantomData);
        static P384: Ec<p384::NistP384> = Ec(PhantomData);
        static BP384: Ec<bp384::BrainpoolP384r1> = Ec(PhantomData);
        match self {
            Curve::P256 => &P256,
            Curve::Bp256 => &BP256,
            Curve::P384 => &P384,
            Curve::Bp384 => &BP384,
        }
    }
}

/// A PACE suite the card offers and this reader speaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaceInfo {
    pub cipher: Cipher,
    pub curve: Curve,
    /// The protocol's OID, as MSE:Set AT and the tokens carry it.
    oid: Vec<u8>,
    param: u8,
    /// Whether the card offered more than one suite, so MSE:Set AT names
    /// the domain parameters too.
    name_param: bool,
}

impl PaceInfo {
    /// How the chip was opened, for the record and its audit.
    pub fn describe(&self) -> String {
        let cipher = match self.cipher {
            Cipher::Tdes => "3DES",
            Cipher::Aes128 => "AES-128",
            Cipher::Aes192 => "AES-192",
            Cipher::Aes256 => "AES-256",
        };
        format!("PACE ECDH-GM {cipher} {}", self.curve.name())
    }
}

/// The suites of EF.CardAccess this reader speaks, the strongest cipher first.
pub fn offered(card_access: &[u8]) -> Vec<PaceInfo> {
    let Some((0x31, infos, _)) = lds::tlv(card_access) else {
        return Vec::new();
    };
    let all: Vec<(&[u8], Vec<u64>)> = lds::elements(infos)
        .filter(|(tag, _)| *tag == 0x30)
        .filter_map(|(_, info)| {
            let oid = lds::find(info, 0x06)?;
            let integers = lds::elements(info)
                .filter(|(tag, v)| *tag == 0x02 && v.len() <= 4)
                .map(|(_, v)| v.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b)))
                .collect();
            Some((oid, integers))
        })
        .collect();
    let pace_count = all.iter().filter(|(oid, _)| oid.starts_with(&ECDH_GM[..8])).count();
    let mut spoken: Vec<PaceInfo> = all
        .iter()
        .filter_map(|(oid, integers)| {
            let cipher = match oid.strip_prefix(&ECDH_GM[..])? {
                [1] => Cipher::Tdes,
                [2] => Cipher::Aes128,
                [3] => Cipher::Aes192,
                [4] => Cipher::Aes256,
                _ => return None,
            };
            // PACEInfo: version 2, then the domain parameters' ID.
            let &[2, id] = integers.as_slice() else {
                return None;
            };
            let curve = Curve::of(id)?;
            Some(PaceInfo { cipher, curve, oid: oid.to_vec(), param: id as u8, name_param: pace_count > 1 })
        })
        .collect();
    spoken.sort_by_key(|i| std::cmp::Reverse(i.cipher as u8));
    spoken
}

/// EF.CardAccess, read in plain from the master file; `None` when the card
/// has none (a BAC-only card).
pub fn read_card_access(link: &mut dyn Link) -> Result<Option<Vec<u8>>, ChipError> {
    let [hi, lo] = EF_CARD_ACCESS.to_be_bytes();
    let (_, sw) = split_sw(&link.transmit(&[0x00, 0xA4, 0x02, 0x0C, 0x02, hi, lo])?)?;
    if sw != 0x9000 {
        return Ok(None);
    }
    let file = crate::whole_file(|offset, len| {
        let [p1, p2] =
            u16::try_from(offset).map_err(|_| ChipError::Malformed("EF.CardAccess"))?.to_be_bytes();
        let raw = link.transmit(&[0x00, 0xB0, p1, p2, len as u8])?;
        let (data, sw) = split_sw(&raw)?;
        crate::read_answer(data.to_vec(), sw)
    })?;
    Ok(Some(file))
}

/// Runs PACE with `key` for the suite `info`, and gives the secure channel.
/// A card that refuses the suite at MSE:Set AT answers
/// `ChipError::Status { step: "pace-set-at", .. }` (the caller may use BAC);
/// a key that is not the card's, `ChipError::AccessRefused`.
pub fn open(link: &mut dyn Link, key: &MrzKey, info: &PaceInfo) -> Result<Session, ChipError> {
    run(link, key, info, &mut |g| g.random())
}

/// Where the terminal's ephemeral secrets come from: random, or the worked
/// example's.
type Secrets<'a> = &'a mut dyn FnMut(&dyn Group) -> Result<Zeroizing<Vec<u8>>, ChipError>;

/// [`open`], with the terminal's two ephemeral secrets from `secret`.
fn run(
    link: &mut dyn Link,
    key: &MrzKey,
    info: &PaceInfo,
    secret: Secrets<'_>,
) -> Result<Session, ChipError> {
    let (cipher, g) = (info.cipher, info.curve.group());
    // MSE:Set AT: the protocol, the MRZ as the password (1), the parameters.
    let mut set_at = Vec::new();
    push_tlv(&mut set_at, &[0x80], &[&info.oid]);
    push_tlv(&mut set_at, &[0x83], &[&[0x01]]);
    if info.name_param {
        push_tlv(&mut set_at, &[0x84], &[&[info.param]]);
    }
    let mut apdu = vec![0x00, 0x22, 0xC1, 0xA4, set_at.len() as u8];
    apdu.extend_from_slice(&set_at);
    match split_sw(&link.transmit(&apdu)?)? {
        (_, 0x9000) => {}
        (_, sw) => return Err(ChipError::Status { step: "pace-set-at", sw }),
    }
    // 1. The card's nonce, encrypted with K_π.
    let z = general_authenticate(link, true, None, 0x80)?;
    let k_pi = cipher.kdf(key.password().as_slice(), 3);
    let s = Zeroizing::new(cipher.decrypt(&k_pi, &vec![0; cipher.block()], &z).ok_or(ChipError::Integrity)?);
    // 2. The generic mapping: G̃ = s·G + H, H = SK_map · PK_map(card).
    let sk_map = secret(g)?;
    let pk_map = g.mul(None, &sk_map).ok_or(ChipError::Integrity)?;
    let pk_map_ic = general_authenticate(link, true, Some((0x81, &pk_map)), 0x82)?;
    let h = g.mul(Some(&pk_map_ic), &sk_map).ok_or(ChipError::Integrity)?;
    let mapped = g.map(&s, &h).ok_or(ChipError::Integrity)?;
    // 3. The key agreement on G̃.
    let sk_eph = secret(g)?;
    let pk_eph = g.mul(Some(&mapped), &sk_eph).ok_or(ChipError::Integrity)?;
    let pk_eph_ic = general_authenticate(link, true, Some((0x83, &pk_eph)), 0x84)?;
    if pk_eph_ic == pk_eph {
        return Err(ChipError::Integrity);
    }
    let shared = Zeroizing::new(g.mul(Some(&pk_eph_ic), &sk_eph).ok_or(ChipError::Integrity)?);
    // The shared secret is the point's x coordinate.
    let k = shared.get(1..1 + g.len()).ok_or(ChipError::Integrity)?;
    let (ks_enc, ks_mac) = (cipher.kdf(k, 1), cipher.kdf(k, 2));
    // 4. The tokens: each side's MAC over the other's public key.
    let t_ifd = cipher.token(&ks_mac, &public_key(&info.oid, &pk_eph_ic)).ok_or(ChipError::Integrity)?;
    let t_ic = general_authenticate(link, false, Some((0x85, &t_ifd)), 0x86)?;
    if !crypto::tag_holds(cipher.token(&ks_mac, &public_key(&info.oid, &pk_eph)), &t_ic) {
        return Err(ChipError::Integrity);
    }
    Ok(Session::pace(cipher, ks_enc, ks_mac))
}

/// One GENERAL AUTHENTICATE of the chain (`chained`: more follow) with the
/// dynamic authentication data `data`; gives the answer's object `want`.
fn general_authenticate(
    link: &mut dyn Link,
    chained: bool,
    data: Option<(u8, &[u8])>,
    want: u32,
) -> Result<Vec<u8>, ChipError> {
    let mut inner = Vec::new();
    if let Some((tag, value)) = data {
        push_tlv(&mut inner, &[tag], &[value]);
    }
    let mut body = Vec::new();
    push_tlv(&mut body, &[0x7C], &[&inner]);
    let mut apdu = vec![if chained { 0x10 } else { 0x00 }, 0x86, 0x00, 0x00];
    apdu.push(u8::try_from(body.len()).map_err(|_| ChipError::Malformed("PACE"))?);
    apdu.extend_from_slice(&body);
    apdu.push(0x00);
    let raw = link.transmit(&apdu)?;
    let (answer, sw) = split_sw(&raw)?;
    match sw {
        0x9000 => {}
        // The card could not check our token: the key is not this card's.
        0x6300..=0x63FF | 0x6982 if !chained => return Err(ChipError::AccessRefused),
        sw => return Err(ChipError::Status { step: "pace", sw }),
    }
    match lds::tlv(answer) {
        Some((0x7C, objects, [])) => {
            lds::find(objects, want).map(<[u8]>::to_vec).ok_or(ChipError::Malformed("PACE"))
        }
        _ => Err(ChipError::Malformed("PACE")),
    }
}

/// The public key data object the tokens are computed over: 7F49 with the
/// protocol's OID and the point (Doc 9303 part 11, 4.4.3.4 and 9.4).
fn public_key(oid: &[u8], point: &[u8]) -> Vec<u8> {
    let mut inner = Vec::new();
    push_tlv(&mut inner, &[0x06], &[oid]);
    push_tlv(&mut inner, &[0x86], &[point]);
    let mut out = Vec::new();
    push_tlv(&mut out, &[0x7F, 0x49], &[&inner]);
    out
}

/// What PACE needs of a curve, over encoded points (SEC 1, uncompressed)
/// and big-endian scalars.
trait Group: Sync {
    /// The field's length in bytes (a coordinate's).
    fn len(&self) -> usize;
    /// A random scalar in [1, n).
    fn random(&self) -> Result<Zeroizing<Vec<u8>>, ChipError>;
    /// `scalar` times `point` (the generator when `None`); `None` when the
    /// point is not on the curve, a scalar is out of range, or the result
    /// is the identity.
    fn mul(&self, point: Option<&[u8]>, scalar: &[u8]) -> Option<Vec<u8>>;
    /// The generic mapping: `s`·G + `h`.
    fn map(&self, s: &[u8], h: &[u8]) -> Option<Vec<u8>>;
}

struct Ec<C>(PhantomData<C>);

impl<C> Ec<C>
where
    C: CurveArithmetic,
    FieldBytesSize<C>: ModulusSize,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
{
    fn scalar(bytes: &[u8]) -> Option<Scalar<C>> {
        let mut repr = <Scalar<C> as PrimeField>::Repr::default();
        let r: &mut [u8] = repr.as_mut();
        let at = r.len().checked_sub(bytes.len())?;
        r[at..].copy_from_slice(bytes);
        Option::from(Scalar::<C>::from_repr(repr))
    }

    fn point(bytes: &[u8]) -> Option<ProjectivePoint<C>> {
        let p = ProjectivePoint::<C>::from(AffinePoint::<C>::from_sec1_bytes(bytes).ok()?);
        (!bool::from(p.is_identity())).then_some(p)
    }

    fn encode(p: ProjectivePoint<C>) -> Option<Vec<u8>> {
        (!bool::from(p.is_identity())).then(|| p.to_affine().to_sec1_point(false).as_bytes().to_vec())
    }
}

impl<C> Group for Ec<C>
where
    C: CurveArithmetic + Sync,
    FieldBytesSize<C>: ModulusSize,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
{
    fn len(&self) -> usize {
        let repr = <Scalar<C> as PrimeField>::Repr::default();
        let r: &[u8] = repr.as_ref();
        r.len()
    }

    fn random(&self) -> Result<Zeroizing<Vec<u8>>, ChipError> {
        let rng = SystemRandom::new();
        let mut bytes = Zeroizing::new(vec![0u8; self.len()]);
        // Rejection sampling: a draw at or above the order, or zero, is drawn again.
        for _ in 0..128 {
            rng.fill(&mut bytes).map_err(|_| ChipError::Random)?;
            if Self::scalar(&bytes).is_some_and(|s| !bool::from(s.is_zero())) {
                return Ok(bytes);
            }
        }
        Err(ChipError::Random)
    }

    fn mul(&self, point: Option<&[u8]>, scalar: &[u8]) -> Option<Vec<u8>> {
        let base = match point {
            Some(bytes) => Self::point(bytes)?,
            None => ProjectivePoint::<C>::generator(),
        };
        Self::encode(base * Self::scalar(scalar)?)
    }

    fn map(&self, s: &[u8], h: &[u8]) -> Option<Vec<u8>> {
        Self::encode(ProjectivePoint::<C>::generator() * Self::scalar(s)? + Self::point(h)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::hex;

    /// A card that answers each command with what a transcript says, and
    /// fails the test on any other command.
    struct Transcript(Vec<(Vec<u8>, Vec<u8>)>);

    impl Link for Transcript {
        fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, ChipError> {
            assert!(!self.0.is_empty(), "a command past the transcript: {apdu:02X?}");
            let (command, answer) = self.0.remove(0);
            assert_eq!(apdu, command.as_slice(), "the command differs from the transcript");
            Ok(answer)
        }
    }

    fn worked_example() -> (Vec<PaceInfo>, MrzKey, Transcript) {
        // ICAO Doc 9303 part 11, appendix G.1: ECDH generic mapping, AES-128,
        // brainpoolP256r1; document T22000129, born 640812, expiring 101031.
        let offered = offered(&hex("31143012060A04007F0007020204020202010202010D"));
        let key = MrzKey::new("T22000129", "640812", "101031").unwrap();
        let transcript = Transcript(
            [
                ("0022C1A40F800A04007F00070202040202830101", "9000"),
                ("10860000027C0000", "7C12801095A3A016522EE98D01E76CB6B98B42C39000"),
                (
                    "10860000457C438141047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D00",
                    "7C43824104824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F5730D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C549000",
                ),
                (
                    "10860000457C438341042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB3646200",
                    "7C438441049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F0949000",
                ),
                ("008600000C7C0A8508C2B0BD78D94BA86600", "7C0A86083ABB9674BCE93C089000"),
            ]
            .into_iter()
            .map(|(c, a)| (hex(c), hex(a)))
            .collect(),
        );
        (offered, key, transcript)
    }

    /// The terminal's secrets of the worked example: SK_map, then SK_eph.
    fn fixed() -> impl FnMut(&dyn Group) -> Result<Zeroizing<Vec<u8>>, ChipError> {
        let mut secrets = vec![
            "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99",
            "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595",
        ];
        move |_| Ok(Zeroizing::new(hex(secrets.remove(0))))
    }

    #[test]
    fn pace_runs_as_in_the_worked_example() {
        let (offered, key, mut card) = worked_example();
        assert_eq!(offered.len(), 1);
        assert_eq!(offered[0].describe(), "PACE ECDH-GM AES-128 brainpoolP256r1");
        // Every command is the example's byte for byte (the mapping, the
        // agreement and T_IFD among them), and the card's T_IC holds.
        let session = run(&mut card, &key, &offered[0], &mut fixed()).unwrap();
        assert!(card.0.is_empty());
        let (enc, mac) = session.keys();
        assert_eq!(enc, hex("F5F0E35C0D7161EE6724EE513A0D9A7F"));
        assert_eq!(mac, hex("FE251C7858B356B24514B3BD5F4297D1"));
    }

    #[test]
    fn a_wrong_key_or_a_changed_token_is_refused() {
        // The card cannot check our token: the key is not its own.
        let (offered, key, mut card) = worked_example();
        card.0[4].1 = hex("6300");
        assert_eq!(run(&mut card, &key, &offered[0], &mut fixed()).unwrap_err(), ChipError::AccessRefused);
        // The card's token does not hold.
        let (offered, key, mut card) = worked_example();
        card.0[4].1 = hex("7C0A86083ABB9674BCE93C099000");
        assert_eq!(run(&mut card, &key, &offered[0], &mut fixed()).unwrap_err(), ChipError::Integrity);
        // A point off the curve, or the card echoing our own key, is refused.
        let (offered, key, mut card) = worked_example();
        card.0[2].1[10] ^= 1;
        assert_eq!(run(&mut card, &key, &offered[0], &mut fixed()).unwrap_err(), ChipError::Integrity);
        let (offered, key, mut card) = worked_example();
        card.0[3].1 = hex(
            "7C438441042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB364629000",
        );
        card.0.truncate(4);
        assert_eq!(run(&mut card, &key, &offered[0], &mut fixed()).unwrap_err(), ChipError::Integrity);
        // A suite refused at MSE:Set AT says so, for the caller to use BAC.
        let (offered, key, mut card) = worked_example();
        card.0[0].1 = hex("6A80");
        assert!(matches!(
            run(&mut card, &key, &offered[0], &mut fixed()),
            Err(ChipError::Status { step: "pace-set-at", sw: 0x6A80 })
        ));
    }

    #[test]
    fn card_access_offers_what_is_spoken_the_strongest_first() {
        // Two suites: 3DES on P-256 and AES-256 on brainpoolP384r1, and one
        // not spoken here (the chip authentication mapping).
        let file =
            hex("313C3012060A04007F0007020204020102010202010C3012060A04007F00070202040204020102020110\
             3012060A04007F00070202040602020102020110");
        let offered = offered(&file);
        assert_eq!(offered.len(), 2);
        assert_eq!((offered[0].cipher, offered[0].curve), (Cipher::Aes256, Curve::Bp384));
        assert_eq!((offered[1].cipher, offered[1].curve), (Cipher::Tdes, Curve::P256));
        // More than one PACEInfo: MSE:Set AT names the parameters (84 01 10).
        assert!(offered[0].name_param && offered[0].param == 16);
        // Hostile or foreign bytes offer nothing, and never panic.
        for bad in
            ["", "31", "3103300106", "3180", "30143012060A04007F0007020204020202010202010D", "3105300302010D"]
        {
            assert!(super::offered(&hex(bad)).is_empty(), "{bad}");
        }
    }

    #[test]
    fn every_curve_maps_and_agrees() {
        // Both sides of a PACE on each curve, the card's played here: the
        // same shared secret from the same mapped generator.
        for curve in [Curve::P256, Curve::Bp256, Curve::P384, Curve::Bp384] {
            let g = curve.group();
            let s = hex("3F00C4D39D153F2B2A214A078D899B22");
            let (a, b) = (g.random().unwrap(), g.random().unwrap());
            let (pa, pb) = (g.mul(None, &a).unwrap(), g.mul(None, &b).unwrap());
            let (ha, hb) = (g.mul(Some(&pb), &a).unwrap(), g.mul(Some(&pa), &b).unwrap());
            assert_eq!(ha, hb, "{curve:?}");
            let mapped = g.map(&s, &ha).unwrap();
            let (c, d) = (g.random().unwrap(), g.random().unwrap());
            let (pc, pd) = (g.mul(Some(&mapped), &c).unwrap(), g.mul(Some(&mapped), &d).unwrap());
            assert_eq!(g.mul(Some(&pd), &c), g.mul(Some(&pc), &d), "{curve:?}");
            assert_eq!(pc.len(), 1 + 2 * g.len());
            // Not a point: refused.
            assert!(g.mul(Some(&pc[..pc.len() - 1]), &c).is_none());
        }
    }
}
