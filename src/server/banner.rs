//! The startup logo, printed once the listeners are bound (as Redis does, so tools that read
//! the PID from it know the port was taken).

use crate::config::Config;

/// Logs the logo when asked for (`always-show-logo`) or when logging to a terminal, otherwise
/// Redis's one-line summary.
pub fn announce(config: &Config) {
    let to_terminal = config.logfile.is_empty() && std::io::IsTerminal::is_terminal(&std::io::stdout());
    if config.get_value("always-show-logo") == Some(b"yes") || to_terminal {
        tracing::info!("{}", logo(config.port, std::process::id()));
    } else {
        tracing::info!("Running mode=standalone, port={}.", config.port);
    }
}

/// rkv's logo, with the facts Redis's logo carries: version, mode, port, PID.
fn logo(port: u16, pid: u32) -> String {
    let lines = [
        format!("rkv {} (Redis {} compatible) {} bit", crate::RKV_VERSION, crate::REDIS_VERSION, usize::BITS),
        "Running in standalone mode".to_owned(),
        format!("Port: {port}"),
        format!("PID: {pid}"),
    ];
    let width = lines.iter().map(String::len).max().unwrap_or(0) + 4;
    let rule = format!("  +{}+", "-".repeat(width));
    let mut out = format!("\n{rule}\n");
    for line in &lines {
        out.push_str(&format!("  |  {line:<w$}  |\n", w = width - 4));
    }
    out.push_str(&rule);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn logo_carries_port_and_pid() {
        let logo = super::logo(6380, 4242);
        assert!(logo.contains(" PID: 4242 "));
        assert!(logo.contains("Port: 6380"));
    }
}
