//! Screenshots for the HTML report: a page's first screen on a desktop and on a phone, and a
//! close-up of a door that does not work there. Small PNGs (scaled down, each at most
//! [`MAX_SHOT_BYTES`] of base64), so the report stays one file a client can open.

use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::page::{
    CaptureScreenshotFormat, CaptureScreenshotParams, Viewport,
};

/// The most one screenshot may take, as base64; a larger one is left out.
pub const MAX_SHOT_BYTES: usize = 200 * 1024;

/// A region of the page, in CSS px from its top-left corner.
#[derive(Debug, Clone, Copy)]
pub struct Region {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// A PNG of `region` scaled by `scale`, as base64; `None` when the browser failed or the
/// picture is over budget.
pub async fn capture(page: &Page, region: Region, scale: f64) -> Option<String> {
    let params = CaptureScreenshotParams {
        format: Some(CaptureScreenshotFormat::Png),
        quality: None,
        clip: Some(Viewport {
            x: region.x.max(0.0),
            y: region.y.max(0.0),
            width: region.width.max(1.0),
            height: region.height.max(1.0),
            scale,
        }),
        from_surface: Some(true),
        capture_beyond_viewport: Some(true),
        optimize_for_speed: Some(true),
    };
    let shot = page.execute(params).await.ok()?;
    let data: String = shot.result.data.into();
    (data.len() <= MAX_SHOT_BYTES).then_some(data)
}

/// The first screen of a page `width`×`height` CSS px wide, scaled by `scale`.
pub async fn first_screen(page: &Page, width: u32, height: u32, scale: f64) -> Option<String> {
    let screen = Region {
        x: 0.0,
        y: 0.0,
        width: f64::from(width),
        height: f64::from(height),
    };
    capture(page, screen, scale).await
}

/// A close-up of an element at `region`, with some of the page round it.
pub async fn around(page: &Page, region: Region) -> Option<String> {
    const MARGIN: f64 = 48.0;
    capture(
        page,
        Region {
            x: region.x - MARGIN,
            y: region.y - MARGIN,
            width: region.width + 2.0 * MARGIN,
            height: region.height + 2.0 * MARGIN,
        },
        1.0,
    )
    .await
}
