"""Rules over Python source, one module per checklist item."""
