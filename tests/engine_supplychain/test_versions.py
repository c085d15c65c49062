import pytest

from vendorvet.engine.supplychain.versions import InvalidVersion, compare


@pytest.mark.parametrize("eco,a,b,expected", [
    # PyPI: PEP 440 epochs, pre-, post- and dev-releases
    ("PyPI", "1!0.1", "2.0", 1),
    ("PyPI", "3.1.3rc1", "3.1.3", -1),
    ("PyPI", "3.1.3.post1", "3.1.3", 1),
    ("PyPI", "3.1.3.dev0", "3.1.3a1", -1),
    ("PyPI", "1.0", "1.0.0", 0),
    # npm / crates.io: SemVer 2.0.0 precedence
    ("npm", "1.0.0-alpha", "1.0.0-alpha.1", -1),
    ("npm", "1.0.0-alpha.beta", "1.0.0-beta", -1),
    ("npm", "1.0.0-beta.2", "1.0.0-beta.11", -1),
    ("npm", "1.0.0-rc.1", "1.0.0", -1),
    ("npm", "1.0.0+build.5", "1.0.0", 0),
    ("crates.io", "0.10.0", "0.9.9", 1),
    # Go: v prefix, pseudo-versions, +incompatible
    ("Go", "v0.17.0", "0.17.0", 0),
    ("Go", "v0.0.0-20230101000000-abcdef123456", "v0.1.0", -1),
    ("Go", "v2.0.0+incompatible", "v2.0.0", 0),
    ("Go", "1.21.0-0", "1.21.0", -1),
    # Maven: qualifiers alpha < beta < milestone < rc < snapshot < release < sp
    ("Maven", "2.0-beta9", "2.0", -1),
    ("Maven", "2.0-alpha1", "2.0-beta1", -1),
    ("Maven", "2.0-beta1", "2.0-M1", -1),
    ("Maven", "2.0-M1", "2.0-RC1", -1),
    ("Maven", "2.0-RC1", "2.0-SNAPSHOT", -1),
    ("Maven", "2.0-SNAPSHOT", "2.0", -1),
    ("Maven", "2.0", "2.0-sp1", -1),
    ("Maven", "2.0.RELEASE", "2.0", 0),
    ("Maven", "2.0-final", "2.0.0", 0),
    ("Maven", "2.4", "2.12.2", -1),
    ("Maven", "1.0-cr1", "1.0-rc1", 0),
    # NuGet: four parts, case-insensitive pre-release
    ("NuGet", "1.0.0.1", "1.0.0", 1),
    ("NuGet", "2.0.0-Preview1", "2.0.0-preview1", 0),
    ("NuGet", "2.0.0-preview1", "2.0.0", -1),
    # RubyGems: letter segments are pre-releases; trailing zeros do not count
    ("RubyGems", "1.0.0.pre", "1.0", -1),
    ("RubyGems", "1.0", "1.0.0", 0),
    ("RubyGems", "1.2.a", "1.2", -1),
    ("RubyGems", "1.10", "1.9", 1),
    # Packagist: Composer normalisation, dev < alpha < beta < RC < stable < patch
    ("Packagist", "1.0.0-dev", "1.0.0-alpha1", -1),
    ("Packagist", "1.0.0-beta1", "1.0.0-RC1", -1),
    ("Packagist", "1.0.0-RC1", "1.0.0", -1),
    ("Packagist", "v1.0.0", "1.0.0", 0),
    ("Packagist", "1.0", "1.0.0", -1),  # OSV / version_compare: an extra numeric part ranks higher
    ("Packagist", "1.0.0-p1", "1.0.0", 1),
])
def test_ordering(eco, a, b, expected):
    assert compare(eco, a, b) == expected
    assert compare(eco, b, a) == -expected


@pytest.mark.parametrize("eco,bad", [("PyPI", "not a version"), ("npm", "latest"), ("NuGet", "x.y")])
def test_invalid_versions_raise(eco, bad):
    with pytest.raises(InvalidVersion):
        compare(eco, bad, "1.0.0")
