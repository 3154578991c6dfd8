//! eSCL (AirScan): driverless network scanners over HTTP.
