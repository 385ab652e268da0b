"""What people read: charts, sentences, the Word briefing, the phone image, exports, templates."""
