"""The grounds (diskrimineringsgrunder) with guidance and guiding questions, versioned as templates."""
