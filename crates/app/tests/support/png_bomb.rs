//! A decompression bomb for tests: a valid PNG of `side` × `side` pixels, 16-bit RGB, all one
//! colour. At 12,000 a side it is about a megabyte on disk and 864 MB once decoded.
//!
//! Compressing 864 MB in a test would take minutes in a debug build, so the stream is built the
//! way a deflater would end up building it: the first row is written as it is (filter 0), every
//! later row repeats the one above (filter 2, "up": a filter byte and zeros). Each row is
//! compressed once, ends on a byte boundary (a sync flush), and the compressed form of an "up"
//! row that only refers back into the row before it is repeated for every further row.

use flate2::{Compress, Compression, Crc, FlushCompress};

/// A PNG of `side` × `side` pixels, 16-bit RGB, every pixel the same colour.
pub(super) fn one_colour_rgb16_png(side: u32) -> Vec<u8> {
    assert!(side >= 3, "the repeated row needs two rows before it");
    let row_len = side as usize * 6 + 1;
    let mut first = Vec::with_capacity(row_len);
    first.push(0);
    for _ in 0..side {
        first.extend_from_slice(&[0xC8, 0x00, 0x1E, 0x00, 0x1E, 0x00]);
    }
    let mut up = vec![0u8; row_len];
    up[0] = 2;

    let mut z = Compress::new(Compression::best(), true);
    let head = deflate(&mut z, &first, FlushCompress::Sync);
    let second = deflate(&mut z, &up, FlushCompress::Sync);
    // A row is longer than deflate's 32 KiB window, so this one refers only to zeros of the
    // row above, which every later row also has above it.
    let repeated = deflate(&mut z, &up, FlushCompress::Sync);
    let mut tail = deflate(&mut z, &[], FlushCompress::Finish);
    tail.truncate(tail.len() - 4); // the Adler-32 of what this compressor saw, not of the image

    let mut idat = head;
    idat.extend_from_slice(&second);
    for _ in 2..side {
        idat.extend_from_slice(&repeated);
    }
    idat.extend_from_slice(&tail);
    idat.extend_from_slice(&adler32_of_rows(&first, side).to_be_bytes());

    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[16, 2, 0, 0, 0]); // 16 bits a sample, RGB, no interlacing
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn deflate(z: &mut Compress, mut input: &[u8], flush: FlushCompress) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * 1024);
    loop {
        if out.capacity() - out.len() < 1024 {
            out.reserve(64 * 1024);
        }
        let before = z.total_in();
        let status = z.compress_vec(input, &mut out, flush).expect("deflate");
        input = &input[usize::try_from(z.total_in() - before).expect("a small count")..];
        let done = match flush {
            FlushCompress::Finish => status == flate2::Status::StreamEnd,
            _ => input.is_empty() && out.capacity() > out.len(),
        };
        if done {
            return out;
        }
    }
}

/// The zlib checksum of the whole image: `first`, then `side - 1` "up" rows (2 and zeros).
fn adler32_of_rows(first: &[u8], side: u32) -> u32 {
    const M: u64 = 65_521;
    let (mut a, mut b) = (1u64, 0u64);
    for &byte in first {
        a = (a + u64::from(byte)) % M;
        b = (b + a) % M;
    }
    let zeros = (first.len() - 1) as u64;
    for _ in 1..side {
        a = (a + 2) % M;
        b = (b + a + a * zeros) % M;
    }
    ((b << 16) | a) as u32
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&u32::try_from(data.len()).expect("a chunk under 4 GiB").to_be_bytes());
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let mut crc = Crc::new();
    crc.update(kind);
    crc.update(data);
    png.extend_from_slice(&crc.sum().to_be_bytes());
}
