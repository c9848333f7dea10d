from graddesc.cli import main

raise SystemExit(main())
