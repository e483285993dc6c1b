"""One router per area: auth, inbox, applications (and decisions), notices, dashboard, api."""
