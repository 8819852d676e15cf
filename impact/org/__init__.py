"""The municipality's organisation: departments (förvaltningar) and districts (kommundelar)."""
