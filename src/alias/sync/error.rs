//! The one error type of sync. Messages are plain words for the user; none holds the sync
//! code, a key or a record's text.

use std::fmt;

/// Everything that can go wrong in sync.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SyncError {
    /// A typed sync code has too few or too many letters and digits.
    CodeLength {
        /// Letters and digits found (spaces and dashes not counted).
        found: usize,
        /// Letters and digits a code has.
        expected: usize,
    },
    /// A typed sync code holds a character sync codes never use.
    CodeCharacter {
        /// The character.
        found: char,
    },
    /// A typed sync code's check digits do not match: a letter or digit was mistyped.
    CodeTypo,
    /// The synced items were locked with another sync code.
    WrongCode,
    /// An item failed authentication: changed, cut short, or moved to another key.
    Tampered {
        /// The item's key in `storage.sync`.
        item: String,
    },
    /// An item is authentic but its content cannot be read (a bug on the writing device).
    Malformed {
        /// The item's key.
        item: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// An item (or a stored sync state) from a newer version of the extension.
    FutureSchema {
        /// The version found.
        found: u64,
        /// The newest this build reads.
        supported: u64,
    },
    /// An item of an earlier, unreleased format (another cipher) that this build does not read.
    OtherVersion {
        /// The item's key.
        item: String,
        /// The format found.
        found: u64,
    },
    /// The records do not fit the sync area.
    Full {
        /// Bytes they need.
        needed: usize,
        /// Bytes the sync area offers them.
        budget: usize,
    },
    /// A change names a record the replica does not have.
    UnknownRecord {
        /// The record id.
        id: String,
    },
    /// A record or text in a change is not acceptable.
    InvalidChange {
        /// What is wrong.
        reason: String,
    },
    /// The stored sync state cannot be read.
    BadState {
        /// What is wrong.
        reason: String,
    },
    /// The platform's random source failed.
    Randomness {
        /// The platform's description.
        message: String,
    },
}

impl SyncError {
    /// The variant's name, for JavaScript (`error.variant`).
    pub fn kind(&self) -> &'static str {
        match self {
            SyncError::CodeLength { .. } => "CodeLength",
            SyncError::CodeCharacter { .. } => "CodeCharacter",
            SyncError::CodeTypo => "CodeTypo",
            SyncError::WrongCode => "WrongCode",
            SyncError::Tampered { .. } => "Tampered",
            SyncError::Malformed { .. } => "Malformed",
            SyncError::FutureSchema { .. } => "FutureSchema",
            SyncError::OtherVersion { .. } => "OtherVersion",
            SyncError::Full { .. } => "Full",
            SyncError::UnknownRecord { .. } => "UnknownRecord",
            SyncError::InvalidChange { .. } => "InvalidChange",
            SyncError::BadState { .. } => "BadState",
            SyncError::Randomness { .. } => "Randomness",
        }
    }
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::CodeLength { found, expected } => write!(
                f,
                "The sync code has {found} letters and digits; it should have {expected}. \
                 Check that none is missing or doubled."
            ),
            SyncError::CodeCharacter { found } => write!(
                f,
                "The sync code cannot contain \u{201c}{found}\u{201d}: it is made of the digits \
                 0 to 9 and the letters A to Z except U. Check that character."
            ),
            SyncError::CodeTypo => f.write_str(
                "The sync code has a typo: a letter or digit is wrong. Compare it with the code \
                 shown on your other device.",
            ),
            SyncError::WrongCode => f.write_str(
                "This is not the sync code your other devices use, so their aliases cannot be \
                 read. Nothing here was changed. Enter the code shown where sync was turned on.",
            ),
            SyncError::Tampered { item } => write!(
                f,
                "Synced data ({item}) was changed or cut short on the way and was left out. \
                 Nothing here was changed."
            ),
            SyncError::Malformed { item, reason } => write!(
                f,
                "Synced data ({item}) is damaged ({reason}) and was left out. Nothing here was \
                 changed."
            ),
            SyncError::FutureSchema { found, supported } => write!(
                f,
                "Synced data was written by a newer version of ImpaleMail (format {found}; this \
                 version reads up to {supported}). Update the extension on this device; nothing \
                 here was changed."
            ),
            SyncError::OtherVersion { item, found } => write!(
                f,
                "Synced data ({item}) was written by another version of ImpaleMail (format \
                 {found}), which this version cannot read, and was left out. It is replaced the \
                 next time this device syncs; nothing here was changed."
            ),
            SyncError::Full { needed, budget } => write!(
                f,
                "Your aliases need {needed} bytes of the browser's sync storage, which offers \
                 {budget}. Every alias is still kept on this device."
            ),
            SyncError::UnknownRecord { id } => write!(f, "No alias has the id {id}."),
            SyncError::InvalidChange { reason } => write!(f, "The change was refused: {reason}."),
            SyncError::BadState { reason } => write!(
                f,
                "The sync settings on this device cannot be read ({reason}). Turn sync off and \
                 on again; your aliases are not affected."
            ),
            SyncError::Randomness { message } => {
                write!(
                    f,
                    "The browser could not provide random numbers ({message})."
                )
            }
        }
    }
}

impl std::error::Error for SyncError {}
