"""Grade caps come from the checks that judge the weakness; scoring only combines what they reported.

The reference grades and scores below were produced by the previous scoring (which re-derived the caps from raw
facts) for the same facts: moving the judgement into the checks must not change a grade.
"""

from __future__ import annotations

import datetime as dt
import inspect
from dataclasses import replace

import pytest

from vendorvet.engine import registry, scoring
from vendorvet.engine.facts import CipherFacts, ScanFacts
from vendorvet.engine.models import Attempt, GradeCap, Status, TargetResult, Verdict, parse_target
from vendorvet.engine.runner import evaluate

from .test_tls_verdicts import GOOD_SUITES, LEAF, NOW, SAFE

P = SAFE.protocols
RC4 = CipherFacts("TLS 1.2", "TLS_RSA_WITH_RC4_128_SHA", 128, kex="RSA")
REFERENCE = {  # name: (changed facts, grade, score) as graded before the caps moved into the checks
    "ssl2": ({"protocols": {**P, "SSL 2.0": True}}, "F", 0),
    "ssl3_only": ({"protocols": {**{p: False for p in P}, "SSL 3.0": True}}, "F", 83),
    "tls10_only": ({"protocols": {**{p: False for p in P}, "TLS 1.0": True}}, "C", 86),
    "null": ({"ciphers": GOOD_SUITES + (CipherFacts("TLS 1.2", "TLS_RSA_WITH_NULL_SHA256", 0, kex="RSA"),)}, "F", 0),
    "export": ({"ciphers": GOOD_SUITES + (CipherFacts("TLS 1.0", "TLS_RSA_EXPORT_WITH_RC4_40_MD5", 40, kex="RSA"),)},
               "F", 77),
    "des56": ({"ciphers": GOOD_SUITES + (CipherFacts("TLS 1.2", "TLS_RSA_WITH_DES_CBC_SHA", 56, kex="RSA"),)}, "F", 77),
    "3des_tls10": ({"ciphers": GOOD_SUITES + (CipherFacts("TLS 1.0", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", 168,
                                                          kex="RSA"),)}, "A", 89),
    "rc4": ({"ciphers": GOOD_SUITES + (RC4,)}, "B", 89),
    "no_fs": ({"ciphers": (CipherFacts("TLS 1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256", 128, kex="RSA"),)}, "B", 89),
    "dh1024": ({"ciphers": GOOD_SUITES + (CipherFacts("TLS 1.2", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 128,
                                                      kex="DHE", dh_bits=1024),)}, "F", 86),
    "dh1536": ({"ciphers": GOOD_SUITES + (CipherFacts("TLS 1.2", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 128,
                                                      kex="DHE", dh_bits=1536),)}, "B", 86),
    "rsa1024": ({"chain": (replace(LEAF, key_bits=1024),)}, "F", 86),
    "rsa1536": ({"chain": (replace(LEAF, key_bits=1536),)}, "B", 86),
    "md5_leaf": ({"chain": (replace(LEAF, signature_hash="md5"),)}, "F", 89),
    "sha1_intermediate": ({"chain": (LEAF, replace(LEAF, subject="CN=I", signature_hash="sha1"))}, "F", 89),
    "chain_order": ({"chain_in_order": False}, "B", 89),
    "expired": ({"chain": (replace(LEAF, not_after=NOW - dt.timedelta(days=1)),)}, "F", 89),
    "robot_weak": ({"robot": "VULNERABLE_WEAK_ORACLE"}, "F", 89),
}


def graded(tls, checks=("tls",)) -> TargetResult:
    facts = ScanFacts(target=parse_target("api.vendor.example"), tls=Attempt.success(tls), now=NOW)
    result = TargetResult(target=facts.target, findings=evaluate(facts, registry.select(list(checks))))
    scoring.grade_target(result, facts)
    return result


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_grades_match_the_reference(name):
    change, grade, score = REFERENCE[name]
    result = graded(replace(SAFE, **change))
    assert (result.grade, result.score) == (grade, score), [d.reason for d in result.deductions]
    for line in result.deductions:
        if line.cap:  # every cap line names its reason in both languages
            assert line.reason.startswith(f"capped at {line.cap}: ")
            assert line.reason_de.startswith(f"begrenzt auf {line.cap}: ")


def test_each_cap_comes_from_the_finding_of_the_check_that_judged_it():
    result = graded(replace(SAFE, ciphers=GOOD_SUITES + (RC4,)))
    capped = {f.check_id: [c.grade for c in f.caps] for f in result.findings if f.caps}
    assert capped == {"tls.cipher.weak": ["B"]}
    weak = next(f for f in result.findings if f.check_id == "tls.cipher.weak")
    assert weak.status == Status.FAIL and weak.evidence["weak_suites"][0]["weakness"] == "RC4"


def test_scoring_no_longer_reads_cipher_names_or_check_ids():
    source = "".join(inspect.getsource(f) for f in (scoring.tls_score, scoring.reported_caps, scoring.grade_target))
    for word in ("RC4", "EXPORT", "NULL", "3DES", "forward_secret", "tls.vuln", "tls.cert"):
        assert word not in source, word


def test_a_check_that_was_not_run_caps_nothing():
    """A weakness the selected checks did not judge does not move the grade (honest verdicts)."""
    facts = replace(SAFE, ciphers=GOOD_SUITES + (RC4,))
    assert graded(facts).grade == "B"
    assert graded(facts, checks=("tls.protocol",)).grade == "A"


def test_an_error_verdict_never_caps():
    spec = replace(registry.all_checks()["tls.vuln.heartbleed"],
                   func=lambda facts: Verdict(Status.ERROR, "could not tell", caps=(GradeCap("F", "x", "y"),)))
    facts = ScanFacts(target=parse_target("api.vendor.example"), tls=Attempt.success(SAFE), now=NOW)
    [finding] = evaluate(facts, [spec])
    assert finding.status == Status.ERROR and finding.caps == ()


def test_a_cap_grade_must_be_on_the_scale():
    with pytest.raises(ValueError):
        GradeCap("A+", "no such cap")
