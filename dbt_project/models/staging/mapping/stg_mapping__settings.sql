{# The confirmed mapping's `settings` table as `stames-sf map confirm` wrote it (mapping/warehouse.py). #}
with source as (select * from {{ source('mapping', 'settings') }})

select * from source
