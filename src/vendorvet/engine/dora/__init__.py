"""The DORA register of information (Commission Implementing Regulation (EU) 2024/2956) — pure engine: build
the templates B_01.01 … B_07.01 from plain data, validate them offline, write the EBA xBRL-CSV report package
and an XLSX for people. No Django here."""

from vendorvet.engine.dora.build import Row, Tables, build
from vendorvet.engine.dora.model import (
    Branch,
    Contract,
    Entity,
    Function,
    GroupEntity,
    Identifier,
    Provider,
    Register,
    Service,
)
from vendorvet.engine.dora.package import RegisterInvalid, export_package, export_xlsx
from vendorvet.engine.dora.validate import Issue, validate

__all__ = ["Branch", "Contract", "Entity", "Function", "GroupEntity", "Identifier", "Issue", "Provider", "Register",
           "RegisterInvalid", "Row", "Service", "Tables", "build", "export_package", "export_xlsx", "validate"]
