"""Checking mail: the DNS client (dnsclient), a domain's mail route and policy (dnscheck, policy), the
verdict on an address (verify, lookalikes) and the SMTP probe that never sends a message (smtpprobe)."""
