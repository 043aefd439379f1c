//! Streaming authenticated encryption for stored files: XChaCha20-Poly1305 in the STREAM
//! construction (big-endian 32-bit counter, last-chunk flag), 64 KiB plaintext chunks, every
//! chunk bound to the object's name. A truncated, reordered or swapped object fails to open.
//!
//! Layout: `CPE1 ‖ 19-byte nonce prefix ‖ chunk₀+tag ‖ … ‖ last chunk+tag` (the last chunk may
//! be empty). Memory use is one chunk, whatever the file size.

use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::{KeyInit, Payload};
use chacha20poly1305::XChaCha20Poly1305;
use rand::rngs::OsRng;
use rand::RngCore;

use crate::platform::crypto::{OpenError, SecretKey32};

pub const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const MAGIC: &[u8; 4] = b"CPE1";
const NONCE_PREFIX: usize = 19;
const HEADER: usize = MAGIC.len() + NONCE_PREFIX;

/// Encrypts a byte stream pushed in pieces of any size.
pub struct Sealer {
    encryptor: EncryptorBE32<XChaCha20Poly1305>,
    pending: Vec<u8>,
    aad: Vec<u8>,
}

impl Sealer {
    /// A sealer and the header to write before its output.
    pub fn new(key: &SecretKey32, aad: &[u8]) -> (Self, Vec<u8>) {
        let mut prefix = [0u8; NONCE_PREFIX];
        OsRng.fill_bytes(&mut prefix);
        let aead = XChaCha20Poly1305::new(key.as_bytes().into());
        let encryptor = EncryptorBE32::from_aead(aead, (&prefix).into());
        let mut header = MAGIC.to_vec();
        header.extend_from_slice(&prefix);
        let sealer = Self {
            encryptor,
            pending: Vec::with_capacity(CHUNK),
            aad: aad.to_vec(),
        };
        (sealer, header)
    }

    /// Takes plaintext; returns the ciphertext of every chunk it completed.
    pub fn push(&mut self, mut data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        while !data.is_empty() {
            let room = CHUNK - self.pending.len();
            let take = room.min(data.len());
            self.pending.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.pending.len() == CHUNK {
                let sealed = self
                    .encryptor
                    .encrypt_next(Payload {
                        msg: &self.pending,
                        aad: &self.aad,
                    })
                    // Only fails past 2³² chunks (256 TiB).
                    .unwrap_or_default();
                out.extend_from_slice(&sealed);
                self.pending.clear();
            }
        }
        out
    }

    /// Seals what is left as the last chunk.
    pub fn finish(self) -> Vec<u8> {
        self.encryptor
            .encrypt_last(Payload {
                msg: &self.pending,
                aad: &self.aad,
            })
            .unwrap_or_default()
    }
}

/// Decrypts a stream pushed in pieces of any size; holds back one chunk so it can tell the last.
pub struct Opener {
    key: SecretKey32,
    aad: Vec<u8>,
    decryptor: Option<DecryptorBE32<XChaCha20Poly1305>>,
    pending: Vec<u8>,
}

impl Opener {
    pub fn new(key: &SecretKey32, aad: &[u8]) -> Self {
        Self {
            key: key.clone(),
            aad: aad.to_vec(),
            decryptor: None,
            pending: Vec::with_capacity(CHUNK + TAG),
        }
    }

    /// Takes ciphertext; returns the plaintext of every chunk known not to be the last.
    pub fn push(&mut self, data: &[u8]) -> Result<Vec<u8>, OpenError> {
        self.pending.extend_from_slice(data);
        if self.decryptor.is_none() {
            if self.pending.len() < HEADER {
                return Ok(Vec::new());
            }
            if &self.pending[..MAGIC.len()] != MAGIC {
                return Err(OpenError);
            }
            let aead = XChaCha20Poly1305::new(self.key.as_bytes().into());
            let prefix: [u8; NONCE_PREFIX] = self.pending[MAGIC.len()..HEADER]
                .try_into()
                .map_err(|_| OpenError)?;
            self.decryptor = Some(DecryptorBE32::from_aead(aead, (&prefix).into()));
            self.pending.drain(..HEADER);
        }
        let mut out = Vec::new();
        let Some(decryptor) = self.decryptor.as_mut() else {
            return Ok(out);
        };
        let mut start = 0;
        while self.pending.len() - start > CHUNK + TAG {
            let plain = decryptor
                .decrypt_next(Payload {
                    msg: &self.pending[start..start + CHUNK + TAG],
                    aad: &self.aad,
                })
                .map_err(|_| OpenError)?;
            out.extend_from_slice(&plain);
            start += CHUNK + TAG;
        }
        self.pending.drain(..start);
        Ok(out)
    }

    /// Opens the last chunk; fails when the stream was cut short.
    pub fn finish(self) -> Result<Vec<u8>, OpenError> {
        let decryptor = self.decryptor.ok_or(OpenError)?;
        decryptor
            .decrypt_last(Payload {
                msg: &self.pending,
                aad: &self.aad,
            })
            .map_err(|_| OpenError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ciphertext size of `plain` bytes of plaintext.
    fn sealed_len(plain: u64) -> u64 {
        let full = plain / CHUNK as u64;
        HEADER as u64 + plain + (full + 1) * TAG as u64
    }

    fn seal_all(key: &SecretKey32, aad: &[u8], plain: &[u8], piece: usize) -> Vec<u8> {
        let (mut sealer, mut out) = Sealer::new(key, aad);
        for part in plain.chunks(piece.max(1)) {
            out.extend(sealer.push(part));
        }
        out.extend(sealer.finish());
        out
    }

    fn open_all(
        key: &SecretKey32,
        aad: &[u8],
        sealed: &[u8],
        piece: usize,
    ) -> Result<Vec<u8>, OpenError> {
        let mut opener = Opener::new(key, aad);
        let mut out = Vec::new();
        for part in sealed.chunks(piece.max(1)) {
            out.extend(opener.push(part)?);
        }
        out.extend(opener.finish()?);
        Ok(out)
    }

    #[test]
    fn round_trips_at_every_boundary_and_piece_size() {
        let key = SecretKey32::generate();
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17] {
            let plain: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            for piece in [1000, CHUNK, 7 * CHUNK] {
                let sealed = seal_all(&key, b"evidence/a", &plain, piece);
                assert_eq!(sealed.len() as u64, sealed_len(len as u64), "len {len}");
                assert_eq!(open_all(&key, b"evidence/a", &sealed, 4099).unwrap(), plain);
            }
        }
    }

    #[test]
    fn truncation_tampering_a_wrong_key_or_another_name_fail() {
        let key = SecretKey32::generate();
        let plain = vec![7u8; 2 * CHUNK + 5];
        let sealed = seal_all(&key, b"evidence/a", &plain, CHUNK);
        let cut = &sealed[..HEADER + CHUNK + TAG];
        assert!(
            open_all(&key, b"evidence/a", cut, 100).is_err(),
            "truncated at a chunk boundary"
        );
        let mut flipped = sealed.clone();
        flipped[HEADER + 10] ^= 1;
        assert!(open_all(&key, b"evidence/a", &flipped, 100).is_err());
        assert!(open_all(&SecretKey32::generate(), b"evidence/a", &sealed, 100).is_err());
        assert!(open_all(&key, b"evidence/b", &sealed, 100).is_err());
    }

    #[test]
    fn the_ciphertext_does_not_contain_the_plaintext() {
        let key = SecretKey32::generate();
        let plain = b"BI-MAT-NGUOI-TO-GIAC ".repeat(5000);
        let sealed = seal_all(&key, b"x", &plain, 999);
        assert!(memchr::memmem::find(&sealed, b"BI-MAT-NGUOI-TO-GIAC").is_none());
    }
}
