//! Decoding an image stays within its memory budget: a small file declaring a huge image is
//! refused before its pixels are allocated. Measured with a counting allocator, so this binary
//! holds this one test only (another running beside it would count too).

#![allow(clippy::disallowed_methods)] // tests and tools may read the wall clock
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/png_bomb.rs"]
mod png_bomb;

use bosun_app::maintenance::attachments::make_thumbnail;
use peak_alloc::PeakAlloc;

#[global_allocator]
static ALLOCATED: PeakAlloc = PeakAlloc;

#[test]
fn refusing_a_png_bomb_allocates_a_small_fraction_of_its_decoded_size() {
    let bomb = png_bomb::one_colour_rgb16_png(12_000);
    let decoded: usize = 12_000 * 12_000 * 6;
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &bomb).unwrap();
    drop(bomb);

    ALLOCATED.reset_peak_usage();
    let before = ALLOCATED.current_usage();
    let refused = make_thumbnail(std::fs::File::open(file.path()).unwrap(), "image/png", 12_000);
    let peak = ALLOCATED.peak_usage() - before;

    assert!(
        peak < 64 * 1024 * 1024,
        "refusing the bomb took {} MiB at its peak ({} MiB decoded)",
        peak / (1024 * 1024),
        decoded / (1024 * 1024)
    );
    assert_eq!(refused.err().map(|v| v.code), Some("image_too_large"));
}
