//! Layers and the order of boxes within them: the first two steps of a
//! layered (Sugiyama-style) drawing.
//!
//! Boxes get a layer by longest path over the table graph, so every edge
//! points right. Edges that span more than one layer pass through dummy
//! slots in the layers between, which keep them off the boxes there. The
//! order within each layer comes from barycenter sweeps, keeping the
//! order with the fewest crossings.

use std::collections::BTreeMap;

/// Sweeps (one down and one up each) tried at most, and without an
/// improvement before stopping.
const MAX_SWEEPS: usize = 12;
const PATIENCE: usize = 3;

/// A place in a layer: a box, or a dummy that a long edge passes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Slot {
    Box(usize),
    Dummy(usize),
}

/// A dummy slot: one layer of a long edge bundle.
#[derive(Clone, Debug)]
pub(super) struct Dummy {
    pub layer: usize,
    /// How many edges pass, so the placement can give each a lane.
    pub edges: usize,
}

/// The column edges between two boxes, bundled: the input of ordering.
#[derive(Clone, Debug)]
pub(super) struct Bundle {
    pub from: usize,
    pub to: usize,
    /// Per edge, the vertical offset in pixels of its port in each box,
    /// from the box's top.
    pub ports: Vec<(f64, f64)>,
}

/// A link between slots of two adjacent layers, for ordering and for
/// vertical placement.
#[derive(Clone, Debug)]
pub(super) struct Segment {
    pub upper: Slot,
    pub lower: Slot,
    /// Mean port offsets in pixels at each end; a dummy's offset is 0.
    pub upper_offset: f64,
    pub lower_offset: f64,
    pub weight: f64,
}

/// Layers with their slots in order.
#[derive(Clone, Debug)]
pub(super) struct Ordering {
    pub layer_of: Vec<usize>,
    pub layers: Vec<Vec<Slot>>,
    pub dummies: Vec<Dummy>,
    /// Per bundle pair: its dummies from left to right.
    pub chains: BTreeMap<(usize, usize), Vec<usize>>,
    /// Segments between layer `l` and `l + 1`, at index `l`.
    pub segments: Vec<Vec<Segment>>,
    pub crossings: f64,
    /// Per slot (see [`Ordering::slot_index`]): its index in its layer,
    /// kept up to date so a sweep does not rebuild it for every layer.
    position: Vec<usize>,
}

/// Assigns layers and orders each layer. `heights[b]` is box `b`'s height,
/// used to turn port offsets into fractions for the barycenters.
pub(super) fn order(box_count: usize, bundles: &[Bundle], heights: &[f64]) -> Ordering {
    let acyclic = acyclic_pairs(box_count, bundles);
    let layer_of = assign_layers(box_count, bundles, &acyclic);
    let layer_count = layer_of.iter().max().map_or(0, |max| max + 1);

    let mut layers: Vec<Vec<Slot>> = vec![Vec::new(); layer_count];
    for (index, &layer) in layer_of.iter().enumerate() {
        layers[layer].push(Slot::Box(index));
    }
    let mut dummies = Vec::new();
    let mut chains = BTreeMap::new();
    let mut segments: Vec<Vec<Segment>> = vec![Vec::new(); layer_count.saturating_sub(1)];
    for (bundle_index, bundle) in bundles.iter().enumerate() {
        if !acyclic[bundle_index] {
            continue;
        }
        let (from_layer, to_layer) = (layer_of[bundle.from], layer_of[bundle.to]);
        let weight = bundle.ports.len() as f64;
        let mean = |pick: fn(&(f64, f64)) -> f64| {
            bundle.ports.iter().map(pick).sum::<f64>() / weight.max(1.0)
        };
        let (from_offset, to_offset) = (mean(|p| p.0), mean(|p| p.1));
        let mut chain = Vec::new();
        let between = layers
            .iter_mut()
            .enumerate()
            .take(to_layer)
            .skip(from_layer + 1);
        for (layer, slots) in between {
            chain.push(dummies.len());
            slots.push(Slot::Dummy(dummies.len()));
            dummies.push(Dummy {
                layer,
                edges: bundle.ports.len(),
            });
        }
        let mut stops = vec![(Slot::Box(bundle.from), from_offset)];
        stops.extend(chain.iter().map(|&d| (Slot::Dummy(d), 0.0)));
        stops.push((Slot::Box(bundle.to), to_offset));
        for (step, pair) in stops.windows(2).enumerate() {
            segments[from_layer + step].push(Segment {
                upper: pair[0].0,
                lower: pair[1].0,
                upper_offset: pair[0].1,
                lower_offset: pair[1].1,
                weight,
            });
        }
        if !chain.is_empty() {
            chains.insert((bundle.from, bundle.to), chain);
        }
    }

    let slot_count = layer_of.len() + dummies.len();
    let mut ordering = Ordering {
        layer_of,
        layers,
        dummies,
        chains,
        segments,
        crossings: 0.0,
        position: vec![0; slot_count],
    };
    for layer in 0..ordering.layers.len() {
        ordering.update_positions(layer);
    }
    sweep(&mut ordering, heights);
    ordering
}

/// Marks the bundles that a depth-first search in box order finds to
/// close a cycle; the others form a DAG. Cycles are compile errors, but
/// the graph still has their edges.
fn acyclic_pairs(box_count: usize, bundles: &[Bundle]) -> Vec<bool> {
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); box_count];
    for (index, bundle) in bundles.iter().enumerate() {
        outgoing[bundle.from].push(index);
    }
    // 0 unvisited, 1 on the stack, 2 done.
    let mut state = vec![0u8; box_count];
    let mut keep = vec![true; bundles.len()];
    for root in 0..box_count {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some((node, next)) = stack.pop() {
            if next == outgoing[node].len() {
                state[node] = 2;
                continue;
            }
            stack.push((node, next + 1));
            let bundle = outgoing[node][next];
            let target = bundles[bundle].to;
            match state[target] {
                0 => {
                    state[target] = 1;
                    stack.push((target, 0));
                }
                1 => keep[bundle] = false,
                _ => {}
            }
        }
    }
    keep
}

/// Assigns layers by longest path from the boxes without parents. Then
/// each of those moves right to just before its nearest child, so a source
/// read only by a late model does not draw a long edge.
fn assign_layers(box_count: usize, bundles: &[Bundle], acyclic: &[bool]) -> Vec<usize> {
    let mut incoming = vec![0usize; box_count];
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); box_count];
    for (index, bundle) in bundles.iter().enumerate() {
        if acyclic[index] {
            incoming[bundle.to] += 1;
            outgoing[bundle.from].push(bundle.to);
        }
    }
    let has_parents: Vec<bool> = incoming.iter().map(|&count| count > 0).collect();

    // Kahn's algorithm in box order gives a deterministic topological order.
    let mut ready: std::collections::BTreeSet<usize> =
        (0..box_count).filter(|&b| incoming[b] == 0).collect();
    let mut topological = Vec::with_capacity(box_count);
    while let Some(node) = ready.pop_first() {
        topological.push(node);
        for &child in &outgoing[node] {
            incoming[child] -= 1;
            if incoming[child] == 0 {
                ready.insert(child);
            }
        }
    }

    let mut layer = vec![0usize; box_count];
    for &node in &topological {
        for &child in &outgoing[node] {
            layer[child] = layer[child].max(layer[node] + 1);
        }
    }
    for &node in topological.iter().rev() {
        if has_parents[node] {
            continue;
        }
        if let Some(nearest) = outgoing[node].iter().map(|&child| layer[child]).min() {
            layer[node] = layer[node].max(nearest.saturating_sub(1));
        }
    }
    layer
}

/// Returns a slot's position in its layer, with a port's fraction of the
/// box height added, so edges from the top and the bottom of one box sort
/// apart.
fn port_position(position: usize, slot: Slot, offset: f64, heights: &[f64]) -> f64 {
    match slot {
        Slot::Box(index) if heights[index] > 0.0 => position as f64 + offset / heights[index],
        _ => position as f64 + 0.5,
    }
}

impl Ordering {
    /// The index of a slot in [`Ordering::position`]: boxes first, then
    /// dummies.
    fn slot_index(&self, slot: Slot) -> usize {
        match slot {
            Slot::Box(index) => index,
            Slot::Dummy(index) => self.layer_of.len() + index,
        }
    }

    fn position_of(&self, slot: Slot) -> usize {
        self.position[self.slot_index(slot)]
    }

    /// Records the positions of one layer's slots after it changed.
    fn update_positions(&mut self, layer: usize) {
        for index in 0..self.layers[layer].len() {
            let slot = self.layers[layer][index];
            let at = self.slot_index(slot);
            self.position[at] = index;
        }
    }
}

/// Barycenter sweeps down and up, keeping the best order found.
fn sweep(ordering: &mut Ordering, heights: &[f64]) {
    let mut best_layers = ordering.layers.clone();
    let mut best = count_crossings(ordering, heights);
    let mut since_best = 0;
    for _ in 0..MAX_SWEEPS {
        if best == 0.0 {
            break;
        }
        for layer in 1..ordering.layers.len() {
            reorder(ordering, layer, true, heights);
        }
        for layer in (0..ordering.layers.len().saturating_sub(1)).rev() {
            reorder(ordering, layer, false, heights);
        }
        let crossings = count_crossings(ordering, heights);
        if crossings < best {
            best = crossings;
            best_layers = ordering.layers.clone();
            since_best = 0;
        } else {
            since_best += 1;
            if since_best >= PATIENCE {
                break;
            }
        }
    }
    ordering.layers = best_layers;
    for layer in 0..ordering.layers.len() {
        ordering.update_positions(layer);
    }
    ordering.crossings = best;
}

/// Sorts one layer by the weighted mean position of its neighbours in the
/// layer above (`from_above`) or below. A slot with no neighbour there
/// keeps its position as its key; ties keep the current order.
fn reorder(ordering: &mut Ordering, layer: usize, from_above: bool, heights: &[f64]) {
    let segments = if from_above {
        &ordering.segments[layer - 1]
    } else {
        &ordering.segments[layer]
    };
    let mut sums: BTreeMap<Slot, (f64, f64)> = BTreeMap::new();
    for segment in segments {
        let (own, other, other_offset) = if from_above {
            (segment.lower, segment.upper, segment.upper_offset)
        } else {
            (segment.upper, segment.lower, segment.lower_offset)
        };
        let at = port_position(ordering.position_of(other), other, other_offset, heights);
        let entry = sums.entry(own).or_insert((0.0, 0.0));
        entry.0 += at * segment.weight;
        entry.1 += segment.weight;
    }
    let mut keyed: Vec<(f64, usize, Slot)> = ordering.layers[layer]
        .iter()
        .enumerate()
        .map(|(index, slot)| {
            let key = match sums.get(slot) {
                Some((sum, weight)) if *weight > 0.0 => sum / weight,
                _ => index as f64 + 0.5,
            };
            (key, index, *slot)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    ordering.layers[layer] = keyed.into_iter().map(|(_, _, slot)| slot).collect();
    ordering.update_positions(layer);
}

/// Counts the segment crossings between adjacent layers, weighted: a pair
/// crosses when one starts above the other and ends below it.
pub(super) fn count_crossings(ordering: &Ordering, heights: &[f64]) -> f64 {
    let mut total = 0.0;
    for segments in &ordering.segments {
        let mut ends: Vec<(f64, f64, f64)> = segments
            .iter()
            .map(|s| {
                (
                    port_position(
                        ordering.position_of(s.upper),
                        s.upper,
                        s.upper_offset,
                        heights,
                    ),
                    port_position(
                        ordering.position_of(s.lower),
                        s.lower,
                        s.lower_offset,
                        heights,
                    ),
                    s.weight,
                )
            })
            .collect();
        ends.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        total += weighted_inversions(&ends);
    }
    total
}

/// Counts pairs i < j with a strictly greater lower end at i, weighted by
/// the product of weights, with a Fenwick tree over the ranks of the lower
/// ends: O(n log n).
fn weighted_inversions(ends: &[(f64, f64, f64)]) -> f64 {
    let mut lowers: Vec<f64> = ends.iter().map(|e| e.1).collect();
    lowers.sort_by(f64::total_cmp);
    lowers.dedup();
    let mut tree = vec![0.0; lowers.len() + 1];
    let mut seen = 0.0;
    let mut total = 0.0;
    for &(_, lower, weight) in ends {
        let rank = lowers.partition_point(|&x| x < lower) + 1;
        // Weight of earlier ends with a lower end at most this one.
        let mut at_most = 0.0;
        let mut i = rank;
        while i > 0 {
            at_most += tree[i];
            i &= i - 1;
        }
        total += (seen - at_most) * weight;
        let mut i = rank;
        while i < tree.len() {
            tree[i] += weight;
            i += i & i.wrapping_neg();
        }
        seen += weight;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(from: usize, to: usize) -> Bundle {
        Bundle {
            from,
            to,
            ports: vec![(10.0, 10.0)],
        }
    }

    #[test]
    fn inversions_count_strict_crossings() {
        let crossing = [(0.0, 1.0, 1.0), (1.0, 0.0, 2.0)];
        assert_eq!(weighted_inversions(&crossing), 2.0);
        let shared_end = [(0.0, 1.0, 1.0), (1.0, 1.0, 1.0)];
        assert_eq!(weighted_inversions(&shared_end), 0.0);
    }

    #[test]
    fn cycle_edge_is_dropped_for_layers() {
        let bundles = [bundle(0, 1), bundle(1, 2), bundle(2, 0)];
        let acyclic = acyclic_pairs(3, &bundles);
        assert_eq!(acyclic, vec![true, true, false]);
        assert_eq!(assign_layers(3, &bundles, &acyclic), vec![0, 1, 2]);
    }

    #[test]
    fn source_moves_next_to_its_reader() {
        // 0 → 1 → 2 → 3, and 4 is read only by 3.
        let bundles = [bundle(0, 1), bundle(1, 2), bundle(2, 3), bundle(4, 3)];
        let acyclic = acyclic_pairs(5, &bundles);
        assert_eq!(assign_layers(5, &bundles, &acyclic), vec![0, 1, 2, 3, 2]);
    }

    #[test]
    fn long_edge_gets_dummies() {
        let bundles = [bundle(0, 1), bundle(1, 2), bundle(0, 2)];
        let ordering = order(3, &bundles, &[20.0; 3]);
        assert_eq!(ordering.layer_of, vec![0, 1, 2]);
        assert_eq!(ordering.chains[&(0, 2)].len(), 1);
        assert_eq!(ordering.layers[1].len(), 2);
    }

    #[test]
    fn sweeps_remove_avoidable_crossing() {
        // Sources 0 and 1 feed 3 and 2 in crossed order.
        let bundles = [bundle(0, 3), bundle(1, 2)];
        let ordering = order(4, &bundles, &[20.0; 4]);
        assert_eq!(ordering.crossings, 0.0);
    }
}
