//! Coordinates: layers become columns of boxes from left to right, and
//! each box moves vertically towards the ports it connects to while
//! keeping its layer's order and the gaps between boxes.

use super::order::{Ordering, Slot};

/// Pixels between two boxes of a layer, and between a box and a dummy.
pub(super) const BOX_GAP: f64 = 24.0;
const DUMMY_GAP: f64 = 10.0;
/// Pixels between the lanes of edges through one dummy.
pub(super) const LANE: f64 = 4.0;
/// Lanes per dummy at most; more edges share them.
pub(super) const MAX_LANES: usize = 8;
/// Passes of vertical alignment (each one left to right and back).
const ALIGN_PASSES: usize = 4;

/// Returns the height of a slot: a box's, or a dummy's lanes.
pub(super) fn slot_height(slot: Slot, ordering: &Ordering, box_heights: &[f64]) -> f64 {
    match slot {
        Slot::Box(index) => box_heights[index],
        Slot::Dummy(index) => lanes(ordering.dummies[index].edges).saturating_sub(1) as f64 * LANE,
    }
}

pub(super) fn lanes(edges: usize) -> usize {
    edges.clamp(1, MAX_LANES)
}

fn gap(above: Slot, below: Slot) -> f64 {
    match (above, below) {
        (Slot::Box(_), Slot::Box(_)) => BOX_GAP,
        _ => DUMMY_GAP,
    }
}

/// Computes the top of every slot, per layer and in the layer's order,
/// with the smallest at `top`.
pub(super) fn vertical_positions(
    ordering: &Ordering,
    box_heights: &[f64],
    top: f64,
) -> Vec<Vec<f64>> {
    let heights: Vec<Vec<f64>> = ordering
        .layers
        .iter()
        .map(|layer| {
            layer
                .iter()
                .map(|s| slot_height(*s, ordering, box_heights))
                .collect()
        })
        .collect();
    let mut ys: Vec<Vec<f64>> = ordering
        .layers
        .iter()
        .zip(&heights)
        .map(|(layer, heights)| stacked(layer, heights))
        .collect();

    let layer_count = ordering.layers.len();
    for _ in 0..ALIGN_PASSES {
        for layer in 1..layer_count {
            align(ordering, &heights, &mut ys, layer, true);
        }
        for layer in (0..layer_count.saturating_sub(1)).rev() {
            align(ordering, &heights, &mut ys, layer, false);
        }
    }

    let lowest = ys.iter().flatten().copied().fold(f64::INFINITY, f64::min);
    let shift = if lowest.is_finite() {
        top - lowest
    } else {
        0.0
    };
    // Flooring keeps every gap: floor(b) >= floor(a) + k when b >= a + k
    // for whole k, and heights and gaps are whole pixels.
    for layer in &mut ys {
        for y in layer.iter_mut() {
            *y = (*y + shift).floor();
        }
    }
    ys
}

fn stacked(layer: &[Slot], heights: &[f64]) -> Vec<f64> {
    let mut y = 0.0;
    let mut ys = Vec::with_capacity(layer.len());
    for (index, slot) in layer.iter().enumerate() {
        if index > 0 {
            y += heights[index - 1] + gap(layer[index - 1], *slot);
        }
        ys.push(y);
    }
    ys
}

/// Moves the slots of one layer towards the mean height of the ports they
/// connect to in the layer before (`from_above`) or after, as close as
/// the order and the gaps allow.
fn align(
    ordering: &Ordering,
    heights: &[Vec<f64>],
    ys: &mut [Vec<f64>],
    layer: usize,
    from_above: bool,
) {
    let slots = &ordering.layers[layer];
    let (neighbour_layer, segments) = if from_above {
        (layer - 1, &ordering.segments[layer - 1])
    } else {
        (layer + 1, &ordering.segments[layer])
    };
    let neighbour_y = |slot: Slot| -> f64 {
        let index = ordering.layers[neighbour_layer]
            .iter()
            .position(|s| *s == slot)
            .expect("a segment ends in the neighbouring layer");
        ys[neighbour_layer][index]
    };
    let mut desired: Vec<(f64, f64)> = vec![(0.0, 0.0); slots.len()];
    for segment in segments {
        let (own, own_offset, other, other_offset) = if from_above {
            (
                segment.lower,
                segment.lower_offset,
                segment.upper,
                segment.upper_offset,
            )
        } else {
            (
                segment.upper,
                segment.upper_offset,
                segment.lower,
                segment.lower_offset,
            )
        };
        let Some(index) = slots.iter().position(|s| *s == own) else {
            continue;
        };
        let target = neighbour_y(other) + other_offset - own_offset;
        desired[index].0 += target * segment.weight;
        desired[index].1 += segment.weight;
    }
    let targets: Vec<f64> = desired
        .iter()
        .zip(&ys[layer])
        .map(|((sum, weight), current)| {
            if *weight > 0.0 {
                sum / weight
            } else {
                *current
            }
        })
        .collect();
    let mut minimum_offsets = Vec::with_capacity(slots.len());
    let mut offset = 0.0;
    for index in 0..slots.len() {
        if index > 0 {
            offset += heights[layer][index - 1] + gap(slots[index - 1], slots[index]);
        }
        minimum_offsets.push(offset);
    }
    ys[layer] = isotonic_placement(&targets, &minimum_offsets);
}

/// Returns the positions closest to `targets` in the least-squares sense
/// such that
/// `y[i + 1] - y[i] >= offsets[i + 1] - offsets[i]`: with `z = y - offset`
/// the constraint is `z` non-decreasing, which pool-adjacent-violators
/// solves exactly.
fn isotonic_placement(targets: &[f64], offsets: &[f64]) -> Vec<f64> {
    // Blocks of (sum, count) whose mean is the shared z of their members.
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for (target, offset) in targets.iter().zip(offsets) {
        blocks.push((target - offset, 1));
        while blocks.len() > 1 {
            let (sum, count) = blocks[blocks.len() - 1];
            let (previous_sum, previous_count) = blocks[blocks.len() - 2];
            if previous_sum / previous_count as f64 <= sum / count as f64 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (previous_sum + sum, previous_count + count);
        }
    }
    let mut ys = Vec::with_capacity(targets.len());
    for (sum, count) in blocks {
        let z = sum / count as f64;
        for _ in 0..count {
            ys.push(z + offsets[ys.len()]);
        }
    }
    ys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_keeps_gaps() {
        // Both want y = 0, and the second needs 30 below the first.
        let ys = isotonic_placement(&[0.0, 0.0], &[0.0, 30.0]);
        assert_eq!(ys, vec![-15.0, 15.0]);
    }

    #[test]
    fn isotonic_reaches_free_targets() {
        let ys = isotonic_placement(&[0.0, 100.0], &[0.0, 30.0]);
        assert_eq!(ys, vec![0.0, 100.0]);
    }
}
