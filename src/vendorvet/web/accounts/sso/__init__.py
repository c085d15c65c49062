"""Single sign-on through OpenID Connect, configured per tenant by the operator (label ``vv_sso``)."""
