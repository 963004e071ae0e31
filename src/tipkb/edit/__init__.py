"""Expert editing of the live KB: entity forms, validated changesets, history, revert, import and export."""
