//! The debugger view's own state: which nodes of the [`ObjectTree`] the reader opened or closed by hand, whether
//! the tree follows the current key (opening the path down to its entry by itself), which subtask it shows, and
//! the breadcrumb step last clicked — changed only by [`TreeAction`]s, and what is drawn from it.

use super::object_tree::{with_ancestors, Crumb, CrumbStep, ObjectTree, PathSet, Pending, Row};
use crate::engine::cluster::mini_cluster::MiniCluster;
use crate::engine::keys::java_key::JavaKeyType;
use crate::engine::keys::key_registry::KeyId;

#[derive(Clone, Debug, PartialEq)]
pub struct TreeView {
    /// Paths opened by hand (the path to the current entry opens by itself).
    opened: PathSet,
    /// Paths closed by hand, also on the path to the current entry.
    closed: PathSet,
    /// Whether the tree opens the path to the current key's entry and marks it.
    pub follow: bool,
    /// The subtask chosen (`None`: the one that owns the current key).
    pub subtask: Option<usize>,
    /// The breadcrumb step last clicked, and a click count (clicking the same step again scrolls again).
    pub revealed: Option<(String, u32)>,
}

impl Default for TreeView {
    fn default() -> Self {
        TreeView {
            opened: PathSet::default(),
            closed: PathSet::default(),
            follow: true,
            subtask: None,
            revealed: None,
        }
    }
}

/// What the reader does to the tree.
#[derive(Clone, Debug, PartialEq)]
pub enum TreeAction {
    /// Opens or closes the node at `path` (`was_open`: it was open).
    Toggle { path: String, was_open: bool },
    /// A breadcrumb step clicked: its node, and every node above it, open, and it is brought into view.
    Reveal(String),
    /// Follows the current key, or stops following it; forgets what was opened or closed by hand.
    ToggleFollow,
    /// Shows this subtask (`None`: the one that owns the current key).
    ChooseSubtask(Option<usize>),
}

/// The tree as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnTree {
    /// The subtask shown.
    pub subtask: usize,
    pub rows: Vec<Row>,
    /// The breadcrumb down to the current key's entry (empty without a current key).
    pub crumbs: Vec<Crumb>,
    /// The path of the current key's entry, while followed.
    pub target: Option<String>,
}

impl TreeView {
    pub fn reduce(&mut self, action: TreeAction) {
        match action {
            TreeAction::Toggle { path, was_open } => {
                if was_open {
                    self.opened.remove(&path);
                    self.closed.insert(path);
                } else {
                    self.closed.remove(&path);
                    self.opened.insert(path);
                }
            }
            TreeAction::Reveal(path) => {
                for p in with_ancestors(&path) {
                    self.closed.remove(&p);
                    self.opened.insert(p);
                }
                let clicks = self.revealed.as_ref().map_or(0, |(_, n)| n + 1);
                self.revealed = Some((path, clicks));
            }
            TreeAction::ToggleFollow => {
                self.follow = !self.follow;
                self.opened.clear();
                self.closed.clear();
            }
            TreeAction::ChooseSubtask(subtask) => self.subtask = subtask,
        }
    }

    /// The tree of `cluster` (keys of `key_type`) around `current_key`: the subtask chosen, else the one that
    /// owns the key; open where the reader opened it and, while following, down to the key's entry.
    pub fn draw(
        &self,
        cluster: &MiniCluster,
        key_type: JavaKeyType,
        current_key: Option<KeyId>,
        pending: Option<Pending>,
    ) -> DrawnTree {
        let tasks = cluster.tasks().len();
        let subtask = self
            .subtask
            .filter(|&i| i < tasks)
            .or_else(|| {
                current_key.map(|k| cluster.owner_of_key_group(cluster.key_group_of(k)).index())
            })
            .unwrap_or(0)
            .min(tasks.saturating_sub(1));
        let tree = ObjectTree::new(cluster, subtask, key_type, pending);
        let (path, crumbs) = current_key.map(|key| tree.path_to(key)).unwrap_or_default();
        let target = crumbs
            .last()
            .filter(|c| c.step == CrumbStep::Entry && self.follow)
            .map(|c| c.path.clone());
        let auto = if self.follow && current_key.is_some() {
            path
        } else {
            vec!["this".to_owned()]
        };
        let mut open: PathSet = auto
            .into_iter()
            .filter(|p| !self.closed.contains(p))
            .collect();
        open.extend(self.opened.iter().cloned());
        DrawnTree {
            subtask,
            rows: tree.rows(&open, target.as_deref()),
            crumbs,
            target,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cluster::engine_event::Milestones;
    use crate::engine::cluster::job_config::{JobConfig, SourceConfig};
    use crate::engine::cluster::run_limit::RunLimit;

    fn cluster() -> MiniCluster {
        let config = JobConfig {
            parallelism: 2,
            max_parallelism: Some(8),
            source: SourceConfig {
                key_count: 20,
                ..Default::default()
            },
            ..JobConfig::default()
        };
        let mut c = MiniCluster::new(config).unwrap();
        c.run(RunLimit::records(40), &mut Milestones::default());
        c
    }

    fn draw(view: &TreeView, c: &MiniCluster, key: Option<KeyId>) -> DrawnTree {
        view.draw(c, JavaKeyType::String, key, None)
    }

    fn paths(tree: &DrawnTree) -> Vec<&str> {
        tree.rows.iter().map(|r| r.path.as_str()).collect()
    }

    #[test]
    fn following_a_key_opens_the_path_to_its_entry_in_the_subtask_that_owns_it() {
        let c = cluster();
        let key = c.counts()[0].0;
        let owner = c.owner_of_key_group(c.key_group_of(key)).index();
        let view = TreeView::default();
        let tree = draw(&view, &c, Some(key));
        assert_eq!(tree.subtask, owner);
        let target = tree.target.clone().unwrap();
        assert_eq!(tree.crumbs.last().unwrap().path, target);
        let current: Vec<_> = tree.rows.iter().filter(|r| r.current).collect();
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].path, target);
        // Without a key, only `this` is open.
        let tree = draw(&view, &c, None);
        assert_eq!(
            paths(&tree),
            ["this", "this/counter", "this/runtimeContext"]
        );
        assert_eq!((tree.target, tree.crumbs.len()), (None, 0));
    }

    #[test]
    fn a_node_closed_by_hand_stays_closed_until_following_is_switched() {
        let c = cluster();
        let key = c.counts()[0].0;
        let mut view = TreeView::default();
        let open = draw(&view, &c, Some(key));
        view.reduce(TreeAction::Toggle {
            path: "this/runtimeContext".to_owned(),
            was_open: true,
        });
        let closed = draw(&view, &c, Some(key));
        assert!(closed.rows.len() < open.rows.len());
        assert!(!closed.rows.iter().any(|r| r.current));
        let context = closed
            .rows
            .iter()
            .find(|r| r.path == "this/runtimeContext")
            .unwrap();
        assert!(context.expandable && !context.open);
        // Not following: back to `this` alone, nothing current; what was closed by hand is forgotten.
        view.reduce(TreeAction::ToggleFollow);
        let unfollowed = draw(&view, &c, Some(key));
        assert_eq!(unfollowed.rows.len(), 3);
        assert_eq!(unfollowed.target, None);
        view.reduce(TreeAction::ToggleFollow);
        assert_eq!(draw(&view, &c, Some(key)), open);
    }

    #[test]
    fn a_node_opened_by_hand_shows_its_children() {
        let c = cluster();
        let mut view = TreeView::default();
        view.reduce(TreeAction::Toggle {
            path: "this/counter".to_owned(),
            was_open: false,
        });
        let tree = draw(&view, &c, None);
        assert!(paths(&tree).contains(&"this/counter/stateTable"));
        view.reduce(TreeAction::Toggle {
            path: "this/counter".to_owned(),
            was_open: true,
        });
        assert_eq!(draw(&view, &c, None).rows.len(), 3);
    }

    #[test]
    fn a_breadcrumb_step_opens_its_node_and_counts_the_clicks() {
        let c = cluster();
        let mut view = TreeView::default();
        view.reduce(TreeAction::ToggleFollow);
        let path = "this/counter/stateTable".to_owned();
        view.reduce(TreeAction::Reveal(path.clone()));
        assert_eq!(view.revealed, Some((path.clone(), 0)));
        let tree = draw(&view, &c, None);
        let row = tree.rows.iter().find(|r| r.path == path).unwrap();
        assert!(row.open);
        view.reduce(TreeAction::Reveal(path.clone()));
        assert_eq!(view.revealed, Some((path, 1)));
    }

    #[test]
    fn a_subtask_chosen_is_shown_if_the_job_has_it() {
        let c = cluster();
        let key = c.counts()[0].0;
        let owner = c.owner_of_key_group(c.key_group_of(key)).index();
        let mut view = TreeView::default();
        view.reduce(TreeAction::ChooseSubtask(Some(1 - owner)));
        let other = draw(&view, &c, Some(key));
        assert_eq!(other.subtask, 1 - owner);
        // The key is not in that subtask: no path to it.
        assert!(other.crumbs.is_empty() && other.target.is_none());
        view.reduce(TreeAction::ChooseSubtask(Some(7)));
        assert_eq!(draw(&view, &c, Some(key)).subtask, owner);
        view.reduce(TreeAction::ChooseSubtask(None));
        assert_eq!(draw(&view, &c, Some(key)).subtask, owner);
    }
}
