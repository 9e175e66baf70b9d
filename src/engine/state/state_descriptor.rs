//! `org.apache.flink.api.common.state.StateDescriptor.Type`: the kind of a registered keyed state. A backend
//! keeps one state per name; asking for a name already registered as another kind is an error
//! (`RegisteredKeyValueStateBackendMetaInfo.checkStateMetaInfo`).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum StateDescriptorType {
    Value,
    List,
    Reducing,
    Aggregating,
    Map,
}

impl fmt::Display for StateDescriptorType {
    /// As Flink's enum prints: `VALUE`, `LIST`, …
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StateDescriptorType::Value => "VALUE",
            StateDescriptorType::List => "LIST",
            StateDescriptorType::Reducing => "REDUCING",
            StateDescriptorType::Aggregating => "AGGREGATING",
            StateDescriptorType::Map => "MAP",
        })
    }
}
