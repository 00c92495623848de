"""Full-catalogue evaluation of any scorer (a model or a baseline) on a dataset's evaluation cases."""
