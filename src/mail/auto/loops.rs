//! Mail that went round through the office and came back, seen by the `Delivered-To:` trace it carries.

/// A forwarding loop as Postfix's local(8) and qmail see it: a `Delivered-To:` naming one of the office's
/// mailboxes that the message already carried when it arrived (RFC 3834 §2 asks responders to look for such
/// traces). The mail server adds one on every delivery, above the `Received:` trace: that first one is the
/// server's own and is skipped; any other naming one of ours means the message went round through us. Returns
/// the address.
pub fn delivered_to_loop(headers: &[(String, String)], own_addresses: &[String]) -> Option<String> {
    let mut seen_received = false;
    let mut server_own_skipped = false;
    for (name, value) in headers {
        match name.as_str() {
            "received" => seen_received = true,
            "delivered-to" => {
                if !seen_received && !server_own_skipped {
                    server_own_skipped = true;
                    continue;
                }
                let address = value
                    .trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .trim()
                    .to_lowercase();
                if own_addresses.contains(&address) {
                    return Some(address);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    fn own() -> Vec<String> {
        vec!["consultas@osce.test".into(), "mesa@osce.test".into()]
    }

    #[test]
    fn the_servers_own_delivered_to_is_no_loop() {
        let h = headers(&[
            ("return-path", "<juan@gmail.com>"),
            ("delivered-to", "consultas@osce.test"),
            ("received", "from mail.osce.test by imap with LMTP"),
            ("received", "from gmail.com by mail.osce.test"),
            ("from", "juan@gmail.com"),
        ]);
        assert_eq!(delivered_to_loop(&h, &own()), None);
    }

    #[test]
    fn an_alias_loop_carries_our_mailbox_below_the_servers_own() {
        let h = headers(&[
            ("delivered-to", "consultas@osce.test"),
            ("received", "from reenvios.osce.test by mail.osce.test"),
            ("delivered-to", "consultas@osce.test"),
            ("received", "from mail.osce.test by reenvios.osce.test"),
            ("delivered-to", "contacto.web@osce.test"),
        ]);
        assert_eq!(
            delivered_to_loop(&h, &own()).as_deref(),
            Some("consultas@osce.test")
        );
    }

    #[test]
    fn two_delivered_to_above_the_trace_are_a_loop_too() {
        let h = headers(&[
            ("delivered-to", "mesa@osce.test"),
            ("delivered-to", "<Consultas@osce.test>"),
            ("received", "from x by y"),
        ]);
        assert_eq!(
            delivered_to_loop(&h, &own()).as_deref(),
            Some("consultas@osce.test")
        );
    }

    #[test]
    fn a_delivered_to_of_someone_elses_mailbox_is_no_loop() {
        // A citizen forwards what their own provider delivered to them: its Delivered-To names them.
        let h = headers(&[
            ("delivered-to", "consultas@osce.test"),
            ("received", "from gmail by mail.osce.test"),
            ("delivered-to", "juan.perez@gmail.com"),
        ]);
        assert_eq!(delivered_to_loop(&h, &own()), None);
    }
}
