"""The API toolkit shared by every app: parser, error shape and its documentation, permissions, input checks."""
