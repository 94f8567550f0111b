//! Chrome DevTools Protocol commands through ChromeDriver (`POST /session/{id}/goog/cdp/execute`),
//! for what WebDriver cannot do: slowing the CPU and the network like a store tablet's.

use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{json, Value};

/// One DevTools command with its parameters.
#[derive(Debug)]
pub struct Cdp {
    /// The command, e.g. `Network.emulateNetworkConditions`.
    pub cmd: &'static str,
    /// Its parameters.
    pub params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/goog/cdp/execute"))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// How a device and its network are slowed for a measurement.
#[derive(Debug, Clone, Copy)]
pub struct Throttling {
    /// What to call it in a report.
    pub name: &'static str,
    /// How many times slower the CPU runs (1: not slowed).
    pub cpu_slowdown: u32,
    /// The network: (download bits/s, upload bits/s, round trip ms); `None`: not slowed.
    pub network: Option<(u64, u64, u64)>,
}

impl Throttling {
    /// A desktop on the office network: nothing slowed.
    pub const DESKTOP: Throttling = Throttling {
        name: "desktop, no throttling",
        cpu_slowdown: 1,
        network: None,
    };
    /// A store tablet on fast mobile data: 4× slower CPU, 9 Mbps, 60 ms.
    pub const TABLET_FAST_4G: Throttling = Throttling {
        name: "tablet, 4× CPU, Fast 4G (9 Mbps, 60 ms RTT)",
        cpu_slowdown: 4,
        network: Some((9_000_000, 1_500_000, 60)),
    };
    /// A store tablet on poor mobile data: 4× slower CPU, 1.6 Mbps, 150 ms.
    pub const TABLET_SLOW_4G: Throttling = Throttling {
        name: "tablet, 4× CPU, Slow 4G (1.6 Mbps, 150 ms RTT)",
        cpu_slowdown: 4,
        network: Some((1_600_000, 750_000, 150)),
    };

    /// The DevTools commands that set it up.
    pub fn commands(self) -> Vec<Cdp> {
        let mut commands = vec![Cdp {
            cmd: "Emulation.setCPUThrottlingRate",
            params: json!({ "rate": self.cpu_slowdown }),
        }];
        if let Some((down, up, rtt)) = self.network {
            commands.push(Cdp {
                cmd: "Network.enable",
                params: json!({}),
            });
            commands.push(Cdp {
                cmd: "Network.emulateNetworkConditions",
                params: json!({
                    "offline": false,
                    "latency": rtt,
                    "downloadThroughput": down / 8,
                    "uploadThroughput": up / 8,
                }),
            });
        }
        commands
    }
}
