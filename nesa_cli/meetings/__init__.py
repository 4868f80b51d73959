"""Meetings of the alliance's bodies: records, agendas, contact sheets, calendars, engagement."""
