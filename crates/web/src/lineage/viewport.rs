//! Pan and zoom of the lineage view: the transform from layout units to
//! the pixels of the view's canvas.

use rocky_core::layout::{LayoutRow, Point};

pub const MIN_SCALE: f64 = 0.2;
pub const MAX_SCALE: f64 = 3.0;
/// The factor of one press of a zoom button.
pub const BUTTON_FACTOR: f64 = 1.25;
/// Room kept around the layout when it is fitted to the canvas, in pixels.
const FIT_MARGIN: f64 = 16.0;
/// A box with more rows than this draws only the rows near the canvas's
/// visible part. A model of 10,000 columns drew 50,000 elements.
pub const ALL_ROWS_UP_TO: usize = 200;
/// A layout with more edges than this draws only the edges that pass near
/// the canvas's visible part. 6,000 edges made each drag block the page
/// for about a second.
pub const ALL_EDGES_UP_TO: usize = 500;

/// A point in layout units maps to `(x * scale + x_offset, y * scale + y_offset)`
/// canvas pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub x_offset: f64,
    pub y_offset: f64,
    pub scale: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            x_offset: FIT_MARGIN,
            y_offset: FIT_MARGIN,
            scale: 1.0,
        }
    }
}

impl Viewport {
    /// Returns the SVG `transform` of the layout's group.
    pub fn transform(&self) -> String {
        format!(
            "translate({:.1} {:.1}) scale({:.4})",
            self.x_offset, self.y_offset, self.scale
        )
    }

    /// Moves the layout by a drag of `dx`, `dy` pixels.
    pub fn pan(self, dx: f64, dy: f64) -> Viewport {
        Viewport {
            x_offset: self.x_offset + dx,
            y_offset: self.y_offset + dy,
            ..self
        }
    }

    /// Scales by `factor` around the canvas point `x`, `y`, which stays
    /// where it is. The scale stays within [`MIN_SCALE`, `MAX_SCALE`].
    pub fn zoom_at(self, factor: f64, x: f64, y: f64) -> Viewport {
        if !factor.is_finite() || factor <= 0.0 {
            return self;
        }
        let scale = (self.scale * factor).clamp(MIN_SCALE, MAX_SCALE);
        let applied = scale / self.scale;
        Viewport {
            x_offset: x - (x - self.x_offset) * applied,
            y_offset: y - (y - self.y_offset) * applied,
            scale,
        }
    }

    /// Returns the zoom factor of a wheel event's vertical `delta` in
    /// pixels: scrolling down (positive) zooms out. 100 px, one notch of a
    /// common mouse wheel, is a factor of about 1.16.
    pub fn wheel_factor(delta: f64) -> f64 {
        (-delta.clamp(-500.0, 500.0) * 0.0015).exp()
    }

    /// Fits a layout of `width` by `height` units into a canvas of
    /// `canvas_width` by `canvas_height` pixels, centred, never larger
    /// than 1:1 so a small graph keeps readable text at its real size.
    pub fn fit(width: f64, height: f64, canvas_width: f64, canvas_height: f64) -> Viewport {
        if width <= 0.0 || height <= 0.0 || canvas_width <= 0.0 || canvas_height <= 0.0 {
            return Viewport::default();
        }
        let room_x = (canvas_width - 2.0 * FIT_MARGIN).max(1.0);
        let room_y = (canvas_height - 2.0 * FIT_MARGIN).max(1.0);
        let scale = (room_x / width).min(room_y / height).clamp(MIN_SCALE, 1.0);
        Viewport {
            x_offset: ((canvas_width - width * scale) / 2.0)
                .max(FIT_MARGIN.min(canvas_width / 2.0)),
            y_offset: ((canvas_height - height * scale) / 2.0)
                .max(FIT_MARGIN.min(canvas_height / 2.0)),
            scale,
        }
    }

    /// Follows a two-finger pinch from the finger positions `before` to
    /// `after`, in canvas pixels: scales by the change of the distance
    /// between the fingers, then moves with their midpoint, so the layout
    /// point between the fingers stays between them.
    pub fn pinch(self, before: [(f64, f64); 2], after: [(f64, f64); 2]) -> Viewport {
        let distance = |[a, b]: [(f64, f64); 2]| (a.0 - b.0).hypot(a.1 - b.1);
        let middle = |[a, b]: [(f64, f64); 2]| ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let (from, to) = (middle(before), middle(after));
        let span = distance(before);
        // Fingers on one spot give no ratio: move only.
        let factor = if span < 1.0 {
            1.0
        } else {
            distance(after) / span
        };
        self.zoom_at(factor, from.0, from.1)
            .pan(to.0 - from.0, to.1 - from.1)
    }

    /// Returns the layout's vertical band, `(top, bottom)` in layout units,
    /// that a canvas `height` pixels high shows, grown by one canvas height
    /// above and below so that a short pan finds its rows drawn.
    pub fn visible_band(&self, height: f64) -> (f64, f64) {
        let top = -self.y_offset / self.scale;
        let bottom = (height - self.y_offset) / self.scale;
        let room = bottom - top;
        (top - room, bottom + room)
    }

    /// Returns the rows to draw of a box at layout `box_y`, whose rows are
    /// in top-down order, in the band `(top, bottom)`. A box of up to
    /// [`ALL_ROWS_UP_TO`] rows draws them all, a larger one those that
    /// meet the band.
    pub fn rows_to_draw(
        box_y: f64,
        rows: &[LayoutRow],
        (top, bottom): (f64, f64),
    ) -> std::ops::Range<usize> {
        if rows.len() <= ALL_ROWS_UP_TO {
            return 0..rows.len();
        }
        let first = rows.partition_point(|row| box_y + row.y + row.height < top);
        let end = rows.partition_point(|row| box_y + row.y <= bottom);
        first..end.max(first)
    }

    /// Returns true when an edge through `points` passes through the band
    /// `(top, bottom)`, in layout units.
    pub fn edge_meets_band(points: &[Point], (top, bottom): (f64, f64)) -> bool {
        let highest = points.iter().map(|p| p.y).fold(f64::INFINITY, f64::min);
        let lowest = points.iter().map(|p| p.y).fold(f64::NEG_INFINITY, f64::max);
        highest <= bottom && lowest >= top
    }

    /// Moves the layout so the layout point `x`, `y` is at the canvas
    /// point `at_x`, `at_y`, keeping the scale.
    pub fn center_on(self, x: f64, y: f64, at_x: f64, at_y: f64) -> Viewport {
        Viewport {
            x_offset: at_x - x * self.scale,
            y_offset: at_y - y * self.scale,
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn zoom_keeps_point_fixed() {
        let view = Viewport {
            x_offset: 10.0,
            y_offset: 20.0,
            scale: 1.0,
        };
        let zoomed = view.zoom_at(2.0, 110.0, 70.0);
        assert_eq!(zoomed.scale, 2.0);
        // The layout point under (110, 70) was (100, 50) and still is.
        assert!(close(100.0 * zoomed.scale + zoomed.x_offset, 110.0));
        assert!(close(50.0 * zoomed.scale + zoomed.y_offset, 70.0));
    }

    #[test]
    fn zoom_is_clamped() {
        let view = Viewport::default();
        assert_eq!(view.zoom_at(100.0, 0.0, 0.0).scale, MAX_SCALE);
        assert_eq!(view.zoom_at(0.001, 0.0, 0.0).scale, MIN_SCALE);
        assert_eq!(view.zoom_at(f64::NAN, 0.0, 0.0), view);
        assert_eq!(view.zoom_at(-1.0, 0.0, 0.0), view);
    }

    #[test]
    fn pan_adds_offset() {
        let view = Viewport::default().pan(5.0, -7.0);
        assert_eq!(view.x_offset, 21.0);
        assert_eq!(view.y_offset, 9.0);
    }

    #[test]
    fn wheel_down_zooms_out() {
        assert!(Viewport::wheel_factor(100.0) < 1.0);
        assert!(Viewport::wheel_factor(-100.0) > 1.0);
        assert_eq!(Viewport::wheel_factor(0.0), 1.0);
        assert_eq!(Viewport::wheel_factor(1e9), Viewport::wheel_factor(500.0));
    }

    #[test]
    fn fit_shrinks_wide_layout() {
        let view = Viewport::fit(2000.0, 400.0, 1000.0, 600.0);
        assert!(close(view.scale, (1000.0 - 32.0) / 2000.0));
        assert!(close(view.x_offset, 16.0));
        assert!(view.y_offset > 16.0);
    }

    #[test]
    fn fit_keeps_small_layout_at_one() {
        let view = Viewport::fit(200.0, 100.0, 1000.0, 600.0);
        assert_eq!(view.scale, 1.0);
        assert!(close(view.x_offset, 400.0));
        assert!(close(view.y_offset, 250.0));
    }

    #[test]
    fn fit_of_nothing_is_default() {
        assert_eq!(Viewport::fit(0.0, 0.0, 100.0, 100.0), Viewport::default());
    }

    #[test]
    fn pinch_keeps_point_between_fingers() {
        let view = Viewport {
            x_offset: 10.0,
            y_offset: 20.0,
            scale: 1.0,
        };
        // The fingers spread to twice their distance and move right by 30.
        let before = [(100.0, 100.0), (200.0, 100.0)];
        let after = [(80.0, 100.0), (280.0, 100.0)];
        let pinched = view.pinch(before, after);
        assert!(close(pinched.scale, 2.0));
        // Layout point (140, 80) was under the midpoint (150, 100) and is
        // under the new midpoint (180, 100).
        assert!(close(140.0 * pinched.scale + pinched.x_offset, 180.0));
        assert!(close(80.0 * pinched.scale + pinched.y_offset, 100.0));
    }

    #[test]
    fn pinch_of_touching_fingers_only_moves() {
        let view = Viewport::default();
        let pinched = view.pinch([(50.0, 50.0), (50.0, 50.0)], [(60.0, 55.0), (90.0, 55.0)]);
        assert_eq!(pinched.scale, view.scale);
        assert!(close(pinched.x_offset, view.x_offset + 25.0));
        assert!(close(pinched.y_offset, view.y_offset + 5.0));
    }

    #[test]
    fn visible_band_adds_canvas_each_way() {
        let view = Viewport {
            x_offset: 0.0,
            y_offset: -1000.0,
            scale: 0.5,
        };
        // Canvas rows 0 to 400 show layout rows 2000 to 2800.
        let (top, bottom) = view.visible_band(400.0);
        assert!(close(top, 1200.0));
        assert!(close(bottom, 3600.0));
    }

    /// Returns `count` rows 18 units high, the first at `first` from the
    /// box's top.
    fn rows(count: usize, first: f64) -> Vec<LayoutRow> {
        (0..count)
            .map(|i| LayoutRow {
                name: format!("c{i}"),
                ty: "INTEGER".to_string(),
                y: first + i as f64 * 18.0,
                height: 18.0,
                focus: false,
                unresolved: None,
            })
            .collect()
    }

    #[test]
    fn rows_to_draw_small_box_all() {
        let small = rows(ALL_ROWS_UP_TO, 0.0);
        assert_eq!(
            Viewport::rows_to_draw(0.0, &small, (1e6, 2e6)),
            0..ALL_ROWS_UP_TO
        );
    }

    #[test]
    fn rows_to_draw_large_box_band() {
        let large = rows(10_000, 26.0);
        // The box starts at 100, so row i spans 126 + 18 i to 144 + 18 i.
        let drawn = Viewport::rows_to_draw(100.0, &large, (1000.0, 2000.0));
        // Row 48 ends at 1008 and row 104 starts at 1998.
        assert_eq!(drawn, 48..105);
        assert_eq!(Viewport::rows_to_draw(100.0, &large, (-500.0, 0.0)), 0..0);
        let end = Viewport::rows_to_draw(100.0, &large, (1e9, 2e9));
        assert!(end.is_empty());
    }

    #[test]
    fn edge_meets_band_when_it_crosses() {
        let edge = |from: f64, to: f64| vec![Point { x: 0.0, y: from }, Point { x: 50.0, y: to }];
        let band = (1000.0, 2000.0);
        assert!(Viewport::edge_meets_band(&edge(1500.0, 1600.0), band));
        // From above the band to below it, through it.
        assert!(Viewport::edge_meets_band(&edge(500.0, 2500.0), band));
        assert!(Viewport::edge_meets_band(&edge(900.0, 1000.0), band));
        assert!(!Viewport::edge_meets_band(&edge(100.0, 900.0), band));
        assert!(!Viewport::edge_meets_band(&edge(2100.0, 3000.0), band));
        assert!(!Viewport::edge_meets_band(&[], band));
    }

    #[test]
    fn center_on_moves_point() {
        let view = Viewport::default()
            .zoom_at(2.0, 0.0, 0.0)
            .center_on(50.0, 40.0, 300.0, 200.0);
        assert!(close(50.0 * view.scale + view.x_offset, 300.0));
        assert!(close(40.0 * view.scale + view.y_offset, 200.0));
    }
}
