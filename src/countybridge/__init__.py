"""CountyBridge 县市新城协同发展平台."""
