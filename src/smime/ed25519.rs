//! Ed25519 (RFC 8032 §5.1), for S/MIME (RFC 8410 keys, RFC 8419 in CMS) and DKIM (RFC 8463):
//! what the core judges itself before the equation is asked.
//!
//! The verification is strict, as ed25519-dalek's `verify_strict`, on every platform: the key
//! A decodes as a point (§5.1.3, y < p included), the signature's S is below the group order L
//! (§5.1.7 step 1), neither A nor R is one of the eight points of small order, and
//! `[S]B = R + [k]A` holds without the cofactor, R's encoding compared byte for byte with the
//! point computed (so R is a point, canonically encoded). The core makes every check but the
//! equation here, with no curve arithmetic: a square test modulo p for A ([`is_point`]), byte
//! comparisons for the rest. The equation is then the caller's WebCrypto
//! (`crypto.subtle.verify` with `Ed25519`, Chromium 137+, Firefox 129+) in the wasm
//! ([`super::offload`]), or ed25519-dalek natively (the `local-signatures` feature). What
//! WebCrypto implementations differ on (small-order points, S ≥ L, a non-canonical key) is
//! settled before anything is asked, so the answer can only be "the equation holds" or not,
//! and the verdict is the same everywhere. This took about 7.6 KB gzipped of curve25519-dalek
//! out of the wasm.

use super::asn1::BitString;
use super::x509::{AlgorithmIdentifier, SubjectPublicKeyInfo};

/// The length of a key (RFC 8032 §5.1.2).
pub const KEY_LEN: usize = 32;
/// The length of a signature, R then S (RFC 8032 §5.1.6).
pub const SIGNATURE_LEN: usize = 64;

/// The group order L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032 §5.1),
/// little-endian.
pub const ORDER: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
];

/// The y coordinates of the four points of order 8 (two values; each with both signs of x),
/// little-endian: the roots of d·y⁴ + 2y² − 1 = 0 whose x² = −y² is a square.
const ORDER_8_Y: [[u8; 32]; 2] = [
    [
        0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98,
        0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53,
        0xfc, 0x05,
    ],
    [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67,
        0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac,
        0x03, 0x7a,
    ],
];

/// `a < b`, both little-endian.
fn less_than(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().rev().cmp(b.iter().rev()) == std::cmp::Ordering::Less
}

/// The encoding's y (its sign bit of x cleared), little-endian.
fn y_of(encoding: &[u8; 32]) -> [u8; 32] {
    let mut y = *encoding;
    y[31] &= 0x7f;
    y
}

/// Whether `encoding` is one of the eight points of small order (the identity, order 2, 4
/// and 8), whatever the sign bit and also in the non-canonical form y + p: y is 0, 1, −1 or an
/// order-8 y. Checked by value, without curve arithmetic.
fn is_small_order(encoding: &[u8; 32]) -> bool {
    let y = y_of(encoding);
    let (first, middle, last) = (y[0], &y[1..31], y[31]);
    // 0 and 1, or p − 1 = 2^255 − 20, p and p + 1 (0 and 1 not reduced).
    let near_zero = last == 0 && middle.iter().all(|&b| b == 0) && first <= 1;
    let near_p =
        last == 0x7f && middle.iter().all(|&b| b == 0xff) && (0xec..=0xee).contains(&first);
    near_zero || near_p || ORDER_8_Y.contains(&y)
}

/// Whether `key` is the encoding of a point (RFC 8032 §5.1.3): y < p (step 1), and
/// x² = (y² − 1) / (d·y² + 1) has a root (steps 2-3: the denominator is never 0, −1/d being
/// no square). A key that is not is malformed. The sign bit is not judged: where x = 0 (y = ±1)
/// the point is of small order, refused by [`passes_strict_checks`].
pub fn is_point(key: &[u8; KEY_LEN]) -> bool {
    let y = y_of(key);
    if !less_than(&y, &field::P_BYTES) {
        return false;
    }
    let y = field::from_bytes(&y);
    let y2 = field::mul(&y, &y);
    let u = field::sub(&y2, &field::ONE);
    let v = field::add(&field::mul(&field::D, &y2), &field::ONE);
    // u/v is a square exactly when u·v is (v ≠ 0): Euler's criterion.
    field::is_square(&field::mul(&u, &v))
}

/// Just enough arithmetic modulo p = 2^255 − 19 for [`is_point`]'s Euler criterion: four
/// 64-bit limbs, little-endian, every result fully reduced. Public data only (a key), so
/// nothing here needs to run in constant time. (curve25519-dalek's decompression, which the
/// native build has, cost the wasm 2.3 KB gzipped more than this.)
mod field {
    /// An element, reduced (< p).
    pub type Fe = [u64; 4];

    /// p, little-endian bytes.
    pub const P_BYTES: [u8; 32] = {
        let mut p = [0xff; 32];
        p[0] = 0xed;
        p[31] = 0x7f;
        p
    };
    const P: Fe = [
        0xffff_ffff_ffff_ffed,
        0xffff_ffff_ffff_ffff,
        0xffff_ffff_ffff_ffff,
        0x7fff_ffff_ffff_ffff,
    ];
    /// (p − 1) / 2, the exponent of Euler's criterion.
    const HALF_P_MINUS_1: Fe = [
        0xffff_ffff_ffff_fff6,
        0xffff_ffff_ffff_ffff,
        0xffff_ffff_ffff_ffff,
        0x3fff_ffff_ffff_ffff,
    ];
    pub const ONE: Fe = [1, 0, 0, 0];
    /// d = −121665 / 121666 (RFC 8032 §5.1).
    pub const D: Fe = [
        0x75eb_4dca_1359_78a3,
        0x0070_0a4d_4141_d8ab,
        0x8cc7_4079_7779_e898,
        0x5203_6cee_2b6f_fe73,
    ];

    /// From 32 little-endian bytes below p.
    pub fn from_bytes(b: &[u8; 32]) -> Fe {
        let mut f = [0u64; 4];
        for (limb, chunk) in f.iter_mut().zip(b.chunks_exact(8)) {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            *limb = u64::from_le_bytes(w);
        }
        f
    }

    /// `a − b` over 256 bits, and whether it borrowed.
    fn sub_raw(a: &Fe, b: &Fe) -> (Fe, bool) {
        let mut r = [0u64; 4];
        let mut borrow = false;
        for i in 0..4 {
            let (d, b1) = a[i].overflowing_sub(b[i]);
            let (d, b2) = d.overflowing_sub(u64::from(borrow));
            r[i] = d;
            borrow = b1 || b2;
        }
        (r, borrow)
    }

    /// `a + b` over 256 bits, and whether it carried.
    fn add_raw(a: &Fe, b: &Fe) -> (Fe, bool) {
        let mut r = [0u64; 4];
        let mut carry = false;
        for i in 0..4 {
            let (s, c1) = a[i].overflowing_add(b[i]);
            let (s, c2) = s.overflowing_add(u64::from(carry));
            r[i] = s;
            carry = c1 || c2;
        }
        (r, carry)
    }

    /// `a` (< 2^256) reduced below p.
    fn reduce(mut a: Fe) -> Fe {
        // 2^256 < 3p: at most two subtractions.
        for _ in 0..2 {
            let (d, borrow) = sub_raw(&a, &P);
            if !borrow {
                a = d;
            }
        }
        a
    }

    pub fn add(a: &Fe, b: &Fe) -> Fe {
        // Both below p < 2^255: no carry out of 256 bits.
        reduce(add_raw(a, b).0)
    }

    pub fn sub(a: &Fe, b: &Fe) -> Fe {
        let (d, borrow) = sub_raw(a, b);
        if borrow {
            // a − b + 2^256 + p wraps to a − b + p, which is in [0, p).
            add_raw(&d, &P).0
        } else {
            d
        }
    }

    pub fn mul(a: &Fe, b: &Fe) -> Fe {
        let mut w = [0u64; 8];
        for i in 0..4 {
            let mut carry = 0u128;
            for j in 0..4 {
                let t = u128::from(a[i]) * u128::from(b[j]) + u128::from(w[i + j]) + carry;
                w[i + j] = t as u64;
                carry = t >> 64;
            }
            w[i + 4] = carry as u64;
        }
        // 2^256 ≡ 38 (mod p): fold the high half into the low one.
        let mut r = [0u64; 4];
        let mut carry = 0u128;
        for i in 0..4 {
            let t = u128::from(w[i]) + u128::from(w[i + 4]) * 38 + carry;
            r[i] = t as u64;
            carry = t >> 64;
        }
        // carry ≤ 38: fold it once more; should that wrap past 2^256, what is left is tiny.
        let mut c = carry * 38;
        for limb in r.iter_mut() {
            let t = u128::from(*limb) + c;
            *limb = t as u64;
            c = t >> 64;
        }
        r[0] += (c as u64) * 38;
        reduce(r)
    }

    /// Whether `a` is a square modulo p (0 included): a^((p − 1)/2) is 0 or 1.
    pub fn is_square(a: &Fe) -> bool {
        let mut r = ONE;
        for bit in (0..255).rev() {
            r = mul(&r, &r);
            if HALF_P_MINUS_1[bit / 64] >> (bit % 64) & 1 == 1 {
                r = mul(&r, a);
            }
        }
        r == ONE || r == [0; 4]
    }
}

/// Whether `signature` by `key` (a point, [`is_point`]) can verify strictly: S < L (RFC 8032
/// §5.1.7 step 1), neither R nor the key of small order. When not, the signature is invalid
/// whatever the message. That R is a point is left to the equation: it compares R's encoding
/// with that of a point it computes.
pub fn passes_strict_checks(key: &[u8; KEY_LEN], signature: &[u8; SIGNATURE_LEN]) -> bool {
    let mut r = [0u8; 32];
    let mut s = [0u8; 32];
    r.copy_from_slice(&signature[..32]);
    s.copy_from_slice(&signature[32..]);
    less_than(&s, &ORDER) && !is_small_order(&r) && !is_small_order(key)
}

/// The key as a `SubjectPublicKeyInfo` with id-Ed25519 and no parameters (RFC 8410 §3, §4):
/// what WebCrypto imports (`spki`), whatever parameters a certificate carried.
pub fn spki(key: &[u8; KEY_LEN]) -> SubjectPublicKeyInfo {
    SubjectPublicKeyInfo {
        algorithm: AlgorithmIdentifier {
            oid: super::algs::oids::ED25519,
            parameters: None,
        },
        subject_public_key: BitString {
            unused_bits: 0,
            bytes: key.to_vec(),
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT, EIGHT_TORSION};
    use curve25519_dalek::edwards::CompressedEdwardsY;
    use curve25519_dalek::Scalar;
    use proptest::prelude::*;

    /// RFC 8032 §7.1 TEST 1: the key and the signature of the empty message.
    const KEY: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    const SIG: &str = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

    fn hex<const N: usize>(s: &str) -> [u8; N] {
        let v: Vec<u8> = (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect();
        v.try_into().unwrap()
    }

    /// What curve25519-dalek says: y < p (its decoder reduces a larger y; RFC 8032 refuses
    /// it) and the encoding decompresses.
    fn dalek_is_point(b: &[u8; 32]) -> bool {
        less_than(&y_of(b), &field::P_BYTES) && CompressedEdwardsY(*b).decompress().is_some()
    }

    /// Both signs of x, and y + p where it fits in 255 bits.
    fn encodings(b: [u8; 32]) -> Vec<[u8; 32]> {
        let mut out = vec![b, b];
        out[1][31] ^= 0x80;
        if let Some(e) = plus_p(&field::from_bytes(&y_of(&b))) {
            let mut e2 = e;
            e2[31] ^= 0x80;
            out.extend([e, e2]);
        }
        out
    }

    /// y + p as bytes, when it stays below 2^255.
    fn plus_p(y: &field::Fe) -> Option<[u8; 32]> {
        let p = field::from_bytes(&field::P_BYTES);
        let mut r = [0u8; 32];
        let mut carry = 0u128;
        for i in 0..4 {
            let t = u128::from(y[i]) + u128::from(p[i]) + carry;
            r[i * 8..i * 8 + 8].copy_from_slice(&(t as u64).to_le_bytes());
            carry = t >> 64;
        }
        (carry == 0 && r[31] & 0x80 == 0).then_some(r)
    }

    #[test]
    fn a_good_signature_passes_and_each_strict_rule_refuses() {
        let key = hex::<32>(KEY);
        let sig = hex::<64>(SIG);
        assert!(is_point(&key));
        assert!(passes_strict_checks(&key, &sig));
        // S + L: the same signature, S not reduced.
        let mut big_s = sig;
        let mut carry = 0u16;
        for i in 0..32 {
            let t = u16::from(big_s[32 + i]) + u16::from(ORDER[i]) + carry;
            big_s[32 + i] = t as u8;
            carry = t >> 8;
        }
        assert!(!passes_strict_checks(&key, &big_s));
        // The identity (y = 1) is of small order, as R and as the key.
        let identity = EIGHT_TORSION[0].compress().to_bytes();
        let mut small_r = sig;
        small_r[..32].copy_from_slice(&identity);
        assert!(!passes_strict_checks(&key, &small_r));
        assert!(is_point(&identity));
        assert!(!passes_strict_checks(&identity, &sig));
        // y = 2 is not on the curve; p is not a canonical y.
        let mut off_curve = [0u8; 32];
        off_curve[0] = 2;
        assert!(!is_point(&off_curve));
        assert!(!dalek_is_point(&off_curve));
        assert!(!is_point(&field::P_BYTES));
    }

    #[test]
    fn the_eight_small_order_points_are_known_in_every_encoding_and_no_other() {
        let mut known = 0;
        for t in EIGHT_TORSION {
            assert!(t.is_small_order());
            for e in encodings(t.compress().to_bytes()) {
                assert!(is_small_order(&e), "{e:02x?}");
                known += 1;
            }
        }
        assert!(known >= 16);
        // Multiples of the base point are of large order.
        for k in 1u64..200 {
            let e = (ED25519_BASEPOINT_POINT * Scalar::from(k))
                .compress()
                .to_bytes();
            assert!(!is_small_order(&e));
            assert!(is_point(&e));
        }
        // Every encoding the list refuses is of small order or no point at all.
        let mut y = [0u8; 32];
        for first in [0u8, 1, 0xec, 0xed, 0xee] {
            y[0] = first;
            let fill = if first >= 0xec { 0xff } else { 0 };
            y[1..31].fill(fill);
            y[31] = if first >= 0xec { 0x7f } else { 0 };
            for e in encodings(y) {
                assert!(is_small_order(&e));
                assert!(CompressedEdwardsY(e)
                    .decompress()
                    .map_or(true, |p| p.is_small_order()));
            }
        }
    }

    #[test]
    fn the_field_agrees_with_python_figures() {
        // (p − 1)² ≡ 1, and −1 is a square (p ≡ 1 mod 4), 2 is not (p ≡ 5 mod 8).
        let minus_one = field::sub(&[0; 4], &field::ONE);
        assert_eq!(field::mul(&minus_one, &minus_one), field::ONE);
        assert!(field::is_square(&minus_one));
        assert!(!field::is_square(&[2, 0, 0, 0]));
        assert!(field::is_square(&[4, 0, 0, 0]));
        // d · 121666 ≡ −121665.
        let d = field::mul(&field::D, &[121_666, 0, 0, 0]);
        assert_eq!(field::add(&d, &[121_665, 0, 0, 0]), [0; 4]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn is_point_is_curve25519_dalek_s_decoding(b in any::<[u8; 32]>()) {
            prop_assert_eq!(is_point(&b), dalek_is_point(&b));
        }

        #[test]
        fn small_order_is_curve25519_dalek_s_on_points(b in any::<[u8; 32]>()) {
            if let Some(p) = CompressedEdwardsY(b).decompress() {
                prop_assert_eq!(is_small_order(&b), p.is_small_order());
            }
        }

        #[test]
        fn near_p_the_decoding_still_agrees(low in any::<u8>(), sign in any::<bool>()) {
            let mut b = field::P_BYTES;
            b[0] = low;
            if sign { b[31] |= 0x80; }
            prop_assert_eq!(is_point(&b), dalek_is_point(&b));
        }
    }

    #[test]
    fn the_spki_is_rfc_8410s() {
        let key = hex::<32>(KEY);
        let der = spki(&key).to_der();
        assert_eq!(der[..12], hex::<12>("302a300506032b6570032100"));
        assert_eq!(der[12..], key);
    }
}
