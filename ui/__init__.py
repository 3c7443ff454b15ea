"""Qt widgets, models and dialogs. Calls storage/ and printing/; holds no business rule."""
