"""Services floor: rules and use cases shared by the web faces and the command line."""
