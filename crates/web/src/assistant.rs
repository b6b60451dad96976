//! The optional language model: its settings, kept in this browser only,
//! and the requests that explain and repair send to it. Nothing is sent
//! until the user turns it on and clicks a button that sends a request.

use rocky_core::intent::assist::ChatMessage;
use serde::{Deserialize, Serialize};

use crate::bridge::{self, ChatRequest};

/// How long a request may take before it is abandoned, in milliseconds.
/// A self-hosted model on a laptop can take tens of seconds for a reply.
const TIMEOUT_MS: u32 = 120_000;

/// The user's language model settings. The API key is stored in this
/// browser's local storage and sent only to `endpoint`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AssistantSettings {
    pub enabled: bool,
    /// The base URL of an OpenAI-compatible API, such as
    /// `http://127.0.0.1:11434/v1`; requests go to `<endpoint>/chat/completions`.
    pub endpoint: String,
    /// The model name the server expects, such as `mistral-small3.1`.
    pub model: String,
    pub api_key: String,
}

impl AssistantSettings {
    /// Reads the saved settings; missing or unreadable ones give the
    /// default, which is off.
    pub fn load() -> AssistantSettings {
        bridge::assistant_settings_load()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Saves the settings in this browser.
    pub fn save(&self) -> Result<(), String> {
        let text = serde_json::to_string(self).map_err(|e| e.to_string())?;
        bridge::assistant_settings_save(Some(text))
    }

    /// Returns true when requests may be sent: turned on, with an
    /// endpoint and a model.
    pub fn is_ready(&self) -> bool {
        self.enabled && !self.endpoint.trim().is_empty() && !self.model.trim().is_empty()
    }

    /// Checks the fields, returning the first problem.
    pub fn check(&self) -> Result<(), String> {
        if !self.enabled {
            return Ok(());
        }
        let endpoint = self.endpoint.trim();
        if endpoint.is_empty() {
            return Err("Enter the endpoint's base URL, such as http://127.0.0.1:11434/v1".into());
        }
        let lower = endpoint.to_ascii_lowercase();
        let Some(rest) = lower
            .strip_prefix("http://")
            .or_else(|| lower.strip_prefix("https://"))
        else {
            return Err(format!(
                "The endpoint `{endpoint}` is not an http:// or https:// URL"
            ));
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err(
                "The endpoint contains a user name or password; put the key in the API key field \
                 instead"
                    .into(),
            );
        }
        if authority.starts_with('[') {
            return Err(
                "The page's request policy cannot name an IPv6 address; use a host name such as \
                 localhost for the endpoint"
                    .into(),
            );
        }
        if self.model.trim().is_empty() {
            return Err("Enter the model name the server expects".into());
        }
        Ok(())
    }

    /// Sends `messages` and returns the reply's text and the name of the
    /// model that wrote it.
    pub async fn ask(&self, messages: &[ChatMessage]) -> Result<(String, String), String> {
        let request = ChatRequest {
            endpoint: self.endpoint.trim(),
            api_key: self.api_key.trim(),
            model: self.model.trim(),
            messages,
            timeout_ms: TIMEOUT_MS,
        };
        let reply = bridge::assistant_chat(&request).await?;
        let model = reply.model.unwrap_or_else(|| self.model.trim().to_string());
        Ok((reply.content, model))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(endpoint: &str, model: &str) -> AssistantSettings {
        AssistantSettings {
            enabled: true,
            endpoint: endpoint.into(),
            model: model.into(),
            api_key: String::new(),
        }
    }

    #[test]
    fn off_by_default() {
        let settings = AssistantSettings::default();
        assert!(!settings.is_ready());
        assert_eq!(settings.check(), Ok(()));
        let read: AssistantSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(read, settings);
    }

    #[test]
    fn check_names_missing_fields() {
        assert!(settings("", "m")
            .check()
            .unwrap_err()
            .starts_with("Enter the endpoint"));
        assert!(settings("ftp://x", "m")
            .check()
            .unwrap_err()
            .contains("not an http"));
        assert!(settings("http://127.0.0.1:1/v1", " ")
            .check()
            .unwrap_err()
            .starts_with("Enter the model"));
        assert_eq!(settings("http://127.0.0.1:1/v1", "m").check(), Ok(()));
        assert_eq!(settings("HTTPS://Example.test/v1", "m").check(), Ok(()));
        assert!(settings("http://user:pw@127.0.0.1:1/v1", "m")
            .check()
            .unwrap_err()
            .contains("user name or password"));
        // An @ after the host is part of the path, not a user name.
        assert_eq!(settings("http://127.0.0.1:1/v1/@x", "m").check(), Ok(()));
        assert!(settings("http://[::1]:11434/v1", "m")
            .check()
            .unwrap_err()
            .contains("IPv6"));
        assert!(settings("http://127.0.0.1:1/v1", "m").is_ready());
    }

    #[test]
    fn settings_round_trip_camel_case() {
        let mut original = settings("https://example.test/v1", "m");
        original.api_key = "k".into();
        let text = serde_json::to_string(&original).unwrap();
        assert!(text.contains("\"apiKey\":\"k\""));
        assert_eq!(
            serde_json::from_str::<AssistantSettings>(&text).unwrap(),
            original
        );
    }
}
