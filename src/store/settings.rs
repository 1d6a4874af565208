//! The settings table: one value per key.
use super::Store;
use super::error::StoreError;
use rusqlite::OptionalExtension;

impl Store {
    /// A setting's value (`None` if unset). Keys used by portquiz are in [`crate::settings`].
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Sets a setting, replacing any previous value.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// Removes a setting; returns whether it was set.
    pub fn remove_setting(&self, key: &str) -> Result<bool, StoreError> {
        self.conn
            .execute("DELETE FROM settings WHERE key = ?1", [key])
            .map(|n| n > 0)
            .map_err(|e| self.err(e))
    }
}
