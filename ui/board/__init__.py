"""The team board: lanes (teams) of person swimlanes and case cards, with drag and drop and live updates."""
