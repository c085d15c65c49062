"""DNS facts through dnspython: SPF, DMARC, CAA and DNSSEC of the target's registrable domain.

Queries go to ``--nameserver`` when given, else the system resolver. "No such record" is a
fact (an empty tuple); a timeout or server failure is not — it becomes ``None`` with the
reason in ``errors``, so the matching check reports ``error`` instead of "missing".
"""

from __future__ import annotations

import ipaddress

from vendorvet.engine.facts import DnsFacts
from vendorvet.engine.models import Attempt, Target
from vendorvet.engine.net import make_dns_resolver

# Public suffixes with more than one label that vendors of our users commonly sit under. Without the full
# Public Suffix List (not a dependency yet) other multi-label suffixes resolve one level too high.
MULTI_LABEL_SUFFIXES = {
    "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.nz", "co.jp", "com.br", "com.cn",
    "co.at", "or.at", "gv.at", "ac.at", "com.pl", "net.pl", "com.tr", "co.in", "com.mx", "com.es", "co.za",
}
SPF_LOOKUP_LIMIT = 10


def registrable_domain(host: str) -> str:
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in MULTI_LABEL_SUFFIXES:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


class _Lookup:
    def __init__(self, nameserver: str | None, timeout: float):
        self.resolver = make_dns_resolver(nameserver, timeout)
        self.errors: dict[str, str] = {}

    def records(self, key: str, name: str, rdtype: str) -> tuple[str, ...] | None:
        import dns.exception
        import dns.resolver

        try:
            answer = self.resolver.resolve(name, rdtype, raise_on_no_answer=False)
        except dns.resolver.NXDOMAIN:
            return ()
        except dns.exception.DNSException as exc:
            self.errors[key] = f"{rdtype} {name}: {exc.__class__.__name__}: {exc}"
            return None
        if answer.rrset is None:
            return ()
        if rdtype == "TXT":
            return tuple(b"".join(r.strings).decode("utf-8", errors="replace") for r in answer.rrset)
        return tuple(r.to_text() for r in answer.rrset)

    def spf_lookups(self, record: str, depth: int = 0, seen: set | None = None) -> int:
        """DNS-querying terms (include, a, mx, ptr, exists, redirect), following includes (RFC 7208 §4.6.4)."""
        seen = seen if seen is not None else set()
        count = 0
        for term in record.split()[1:]:
            term = term.lstrip("+-~?").lower()
            mechanism = term.split(":", 1)[0].split("/", 1)[0].split("=", 1)[0]
            if mechanism not in ("include", "a", "mx", "ptr", "exists", "redirect"):
                continue
            count += 1
            if mechanism in ("include", "redirect") and depth < 5 and count <= SPF_LOOKUP_LIMIT:
                target = term.split(":" if mechanism == "include" else "=", 1)[-1]
                if target in seen:
                    continue
                seen.add(target)
                found = self.records(f"spf:{target}", target, "TXT") or ()
                for sub in (r for r in found if r.lower().startswith("v=spf1")):
                    count += self.spf_lookups(sub, depth + 1, seen)
        return count

    def dnssec(self, domain: str) -> tuple[bool | None, bool | None]:
        import dns.exception
        import dns.flags
        import dns.resolver

        self.resolver.use_edns(0, dns.flags.DO, 1232)
        try:
            answer = self.resolver.resolve(domain, "DNSKEY", raise_on_no_answer=False)
        except dns.resolver.NXDOMAIN:
            return False, False
        except dns.exception.DNSException as exc:
            self.errors["dnssec"] = f"DNSKEY {domain}: {exc.__class__.__name__}: {exc}"
            return None, None
        return answer.rrset is not None, bool(answer.response.flags & dns.flags.AD)


def collect_dns(target: Target, *, nameserver: str | None = None, timeout: float = 5.0) -> Attempt[DnsFacts]:
    try:
        ipaddress.ip_address(target.host)
        return Attempt.success(DnsFacts(name=target.host, domain=""))
    except ValueError:
        pass
    domain = registrable_domain(target.host)
    lookup = _Lookup(nameserver, timeout)
    txt = lookup.records("spf", domain, "TXT")
    spf = None if txt is None else tuple(r for r in txt if r.lower().startswith("v=spf1"))
    spf_lookups = lookup.spf_lookups(spf[0]) if spf and len(spf) == 1 else None
    dmarc_txt = lookup.records("dmarc", f"_dmarc.{domain}", "TXT")
    dmarc = None if dmarc_txt is None else tuple(r for r in dmarc_txt if r.replace(" ", "").lower()
                                                 .startswith("v=dmarc1"))
    caa, caa_owner = None, ""
    labels = target.host.split(".")
    for i in range(len(labels) - 1):  # RFC 8659: climb from the host to the first name with CAA records
        name = ".".join(labels[i:])
        found = lookup.records("caa", name, "CAA")
        if found is None or found:
            caa, caa_owner = found, name if found else ""
            break
        caa = ()
        if name == domain:
            break
    dnskey, authenticated = lookup.dnssec(domain)
    if not domain or len(lookup.errors) >= 4:
        return Attempt.failure("dns", "DNS lookups failed: " + "; ".join(lookup.errors.values()))
    return Attempt.success(DnsFacts(
        name=target.host, domain=domain, spf=spf, spf_lookups=spf_lookups, dmarc=dmarc, caa=caa,
        caa_owner=caa_owner, dnskey=dnskey, authenticated=authenticated, errors=dict(lookup.errors),
    ))
