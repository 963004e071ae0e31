"""Interface names for the codes the KB and the engine use (statuses, kinds, indicators, tiers, forms)."""

from flask_babel import lazy_gettext as _l

STATUS = {"ratified": _l("Ratified"), "acceded": _l("Acceded"), "signed": _l("Signed"),
          "not-party": _l("Not a party"), "unknown": _l("Unknown")}
LAW_KIND = {"national-law": _l("National law"), "criminal-code-provision": _l("Criminal code provision"),
            "national-action-plan": _l("National action plan"), "referral-mechanism": _l("Referral mechanism"),
            "coordinating-body": _l("Coordinating body")}
INDICATOR = {"victims-identified": _l("Victims identified"), "victims-assisted": _l("Victims assisted"),
             "investigations": _l("Investigations"), "prosecutions": _l("Prosecutions"),
             "convictions": _l("Convictions"), "hotline-calls": _l("Hotline calls"),
             "gsi-prevalence": _l("GSI prevalence (per 1,000)"), "gsi-vulnerability": _l("GSI vulnerability score"),
             "gsi-government-response": _l("GSI government response score")}
TIER = {"1": _l("Tier 1"), "2": _l("Tier 2"), "2WL": _l("Tier 2 Watch List"), "3": _l("Tier 3")}
CONFIDENCE = {"high": _l("high confidence"), "medium": _l("medium confidence"), "low": _l("low confidence")}
FORM = {"sexual": _l("sexual exploitation"), "forced-labour": _l("forced labour"),
        "state-imposed-forced-labour": _l("state-imposed forced labour"),
        "domestic-servitude": _l("domestic servitude"), "forced-begging": _l("forced begging"),
        "forced-criminality": _l("forced criminality"), "forced-marriage": _l("forced marriage"),
        "organ-removal": _l("organ removal"), "child-labour": _l("child labour"),
        "armed-conflict": _l("use in armed conflict")}
TRACE_KIND = {"answer": _l("Your answer"), "fact": _l("Country fact"), "rule": _l("Rule"),
              "tailoring": _l("Fits the country"), "urgency": _l("Urgency")}
EFFORT = {"low": _l("Low effort"), "medium": _l("Medium effort"), "high": _l("High effort")}
EVIDENCE = {"strong": _l("Strong evidence"), "moderate": _l("Moderate evidence"), "emerging": _l("Emerging evidence"),
            "limited": _l("Limited evidence")}
HORIZON = {"short": _l("Short term"), "medium": _l("Medium term"), "long": _l("Long term")}
STATE = {"draft": _l("Draft"), "submitted": _l("Submitted")}
ANSWER_STATE = {"answered": _l("answered"), "unanswered": _l("not answered"), "skipped": _l("skipped"),
                "dont-know": _l("don't know")}


def name(table: dict, code) -> str:
    """Return the interface name of a code, or the code itself when the table lacks it."""
    return str(table.get(str(code), code)) if code is not None else "—"


TABLES = {"status": STATUS, "law_kind": LAW_KIND, "indicator": INDICATOR, "tier": TIER, "confidence": CONFIDENCE,
          "form": FORM, "trace_kind": TRACE_KIND, "effort": EFFORT, "evidence": EVIDENCE, "horizon": HORIZON,
          "state": STATE, "answer_state": ANSWER_STATE}
