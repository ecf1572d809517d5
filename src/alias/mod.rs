//! Placeholder: the alias module is being written.
