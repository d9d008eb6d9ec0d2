//! Rules about line managers that hold however the records arrive (a form, or an HR
//! import): pure functions over "who manages whom", so they are tested without a database.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// The loop that would form if `person` were managed by `manager`, given everyone's
/// current manager: the chain from `person` back to `person` (`[person, manager, ...,
/// person]`), or None when there is none. Someone managing themselves is a loop too.
pub fn loop_if_managed_by<K: Eq + Hash + Clone>(
    managers: &HashMap<K, K>,
    person: &K,
    manager: &K,
) -> Option<Vec<K>> {
    let mut chain = vec![person.clone()];
    let mut seen = HashSet::new();
    let mut next = Some(manager);
    while let Some(current) = next {
        chain.push(current.clone());
        if current == person {
            return Some(chain);
        }
        // A loop further up that does not pass through `person` is not this change's
        // doing (and cannot be stored): stop rather than go round it for ever.
        if !seen.insert(current.clone()) {
            return None;
        }
        next = managers.get(current);
    }
    None
}

/// Every loop among `managers` (each person's manager), each once, as the chain of people
/// in it starting from its smallest member: for checking a whole file before it is saved.
pub fn loops<K: Eq + Hash + Clone + Ord>(managers: &HashMap<K, K>) -> Vec<Vec<K>> {
    let mut found: Vec<Vec<K>> = Vec::new();
    let mut settled: HashSet<K> = HashSet::new();
    let mut starts: Vec<&K> = managers.keys().collect();
    starts.sort();
    for start in starts {
        let mut path: Vec<K> = Vec::new();
        let mut on_path: HashSet<K> = HashSet::new();
        let mut current = Some(start);
        while let Some(person) = current {
            if settled.contains(person) {
                break;
            }
            if on_path.contains(person) {
                let from = path.iter().position(|p| p == person).unwrap_or(0);
                found.push(in_order(&path[from..]));
                break;
            }
            on_path.insert(person.clone());
            path.push(person.clone());
            current = managers.get(person);
        }
        settled.extend(path);
    }
    found.sort();
    found
}

/// A loop's members starting from the smallest, in manager order.
fn in_order<K: Clone + Ord>(members: &[K]) -> Vec<K> {
    let smallest = (0..members.len()).min_by_key(|&i| &members[i]).unwrap_or(0);
    members[smallest..]
        .iter()
        .chain(&members[..smallest])
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn managers(pairs: &[(&'static str, &'static str)]) -> HashMap<&'static str, &'static str> {
        pairs.iter().copied().collect()
    }

    #[test]
    fn a_manager_above_the_person_would_make_a_loop() {
        // B manages C, A manages B: making C manage A closes A -> C -> B -> A.
        let m = managers(&[("c", "b"), ("b", "a")]);
        assert_eq!(
            loop_if_managed_by(&m, &"a", &"c"),
            Some(vec!["a", "c", "b", "a"])
        );
        assert_eq!(loop_if_managed_by(&m, &"a", &"a"), Some(vec!["a", "a"]));
        assert_eq!(loop_if_managed_by(&m, &"c", &"a"), None);
        assert_eq!(loop_if_managed_by(&m, &"d", &"c"), None);
    }

    #[test]
    fn an_existing_loop_elsewhere_does_not_hang_or_blame_this_change() {
        let m = managers(&[("x", "y"), ("y", "x")]);
        assert_eq!(loop_if_managed_by(&m, &"a", &"x"), None);
    }

    #[test]
    fn every_loop_in_a_file_is_found_once() {
        let m = managers(&[
            ("a", "b"),
            ("b", "c"),
            ("c", "a"),
            ("d", "a"),
            ("e", "e"),
            ("f", "g"),
        ]);
        assert_eq!(loops(&m), vec![vec!["a", "b", "c"], vec!["e"]]);
        assert!(loops(&managers(&[("a", "b"), ("b", "c")])).is_empty());
    }
}
