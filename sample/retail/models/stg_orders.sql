with source as (

    select * from raw_orders

),

renamed as (

    select
        id as order_id,
        customer_id,
        ordered_at,
        cast(ordered_at as date) as order_date,
        channel,
        status

    from source

)

select * from renamed
