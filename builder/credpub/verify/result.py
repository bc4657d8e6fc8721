"""What a verification returns: one Check per step of SPEC "Verification", and the Result
that says whether the credential is verified."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CHECK_NAMES = ("format", "proof", "issuer", "dates", "status")


@dataclass
class Check:
    name: str
    status: str  # pass | fail | skipped
    message: str
    snapshot: bool = field(default=False, compare=False)  # status read from a copy, not live

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "status": self.status, "message": self.message}
        if self.snapshot:
            out["snapshot"] = True
        return out


@dataclass
class Result:
    checks: list[Check] = field(default_factory=list)
    credential: Any = None

    @property
    def verified(self) -> bool:
        by_name = {c.name: c.status for c in self.checks}
        return (all(by_name.get(n) == "pass" for n in ("format", "proof", "issuer", "dates"))
                and by_name.get("status") != "fail")

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    def as_dict(self) -> dict[str, Any]:
        return {"verified": self.verified, "checks": [c.as_dict() for c in self.checks]}
